#include "net_priv.h"
bool dhcp_input(struct net *n, const struct ip_info *ii, uint16_t dport,
    const uint8_t *pl, size_t len) { (void)n; (void)ii; (void)dport; (void)pl; (void)len; return false; }
void dhcp_tick(struct net *n) { (void)n; }
