#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
// Debian builds libxml2 with ICU; its <unicode/ucnv.h> clashes with Foundation's bundled ICU
// ('UErrorCode' has different definitions). The ICU-only members trail xmlCharEncodingHandler,
// which is only used through pointers, so dropping them is safe.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

// xmlFree is a C global variable, which Swift 6 rejects as not concurrency-safe.
static inline void cxml_free(void *p) { xmlFree(p); }
#endif
