/// The version `leadhygiene --version` prints and every report carries (`tool_version`).
public enum ToolVersion {
    public static let current = "0.11.0"
}
