#ifndef CRESOLV_SHIM_H
#define CRESOLV_SHIM_H
#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <resolv.h>

// <resolv.h> #defines res_ninit/res_nclose to __res_* aliases and ns_msg_* are function-like
// macros; Swift imports neither, so small functions stand in.
static inline int cres_ninit(res_state s) { return res_ninit(s); }
static inline void cres_nclose(res_state s) { res_nclose(s); }
static inline int cres_nquery(res_state s, const char *name, int cls, int type, unsigned char *answer, int len) {
    return res_nquery(s, name, cls, type, answer, len);
}
static inline const unsigned char *cns_msg_base(const ns_msg *m) { return ns_msg_base(*m); }
static inline const unsigned char *cns_msg_end(const ns_msg *m) { return ns_msg_end(*m); }
static inline int cns_msg_count(const ns_msg *m, ns_sect s) { return ns_msg_count(*m, s); }
static inline int cns_msg_rcode(const ns_msg *m) { return ns_msg_getflag(*m, ns_f_rcode); }
#endif
