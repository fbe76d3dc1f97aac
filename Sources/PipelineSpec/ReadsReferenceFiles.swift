/// A stage that reads files of its own when it is built (firmographic_merge's reference files, compliance's
/// do-not-contact lists): how they were read, when it was not plain UTF-8 with commas, for the run's notes.
///
/// They come from the same spreadsheets as lead lists, so a reference file saved by Excel is read as Windows-1252
/// or with `;`, as the input is; the run says so for them as it does for the input.
public protocol ReadsReferenceFiles {
    /// One sentence per finding, naming the stage and the file.
    var referenceNotes: [String] { get }
}
