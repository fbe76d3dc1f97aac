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

// res_init's own way of holding an IPv6 "nameserver" line: the IPv4 slot is marked unused (family 0)
// and a malloc'd sockaddr_in6 goes in the extension slot, which res_nclose frees. Swift cannot reach
// the anonymous union, hence this function.
#include <stdlib.h>
#include <string.h>
static inline int cres_set_ipv6_server(res_state s, const struct in6_addr *address, unsigned short port) {
    struct sockaddr_in6 *server = malloc(sizeof *server);
    if (server == NULL) return -1;
    memset(server, 0, sizeof *server);
    server->sin6_family = AF_INET6;
    server->sin6_port = htons(port);
    server->sin6_addr = *address;
    for (int i = 0; i < MAXNS; i++) {
        free(s->_u._ext.nsaddrs[i]);
        s->_u._ext.nsaddrs[i] = NULL;
    }
    s->nsaddr_list[0].sin_family = 0;
    s->_u._ext.nsaddrs[0] = server;
    s->nscount = 1;
    return 0;
}
#endif
