#include "entry.h"

#include <arpa/inet.h>
#include <libiptc/libip6tc.h>
#include <libiptc/libiptc.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_connmark.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <stdlib.h>
#include <string.h>

/* The revisions iptables 1.8.9 writes; anything else makes
 * iptables-legacy-save print "[unsupported revision]". */
#define REV_TCPUDP 0
#define REV_ICMP 0
#define REV_ADDRTYPE 1
#define REV_CONNMARK 1
#define REV_CONNTRACK 3
#define REV_CONNMARK_TARGET 2
#define REV_DNAT 2
#define REV_MASQUERADE 0

/* The match and target blobs that follow the entry header. */
struct blob {
	unsigned char data[1024];
	size_t len;
};

static void *blob_add(struct blob *b, size_t header, const char *name, uint8_t revision,
		      size_t payload)
{
	size_t size = XT_ALIGN(header) + XT_ALIGN(payload);
	struct xt_entry_match *m = (struct xt_entry_match *)(b->data + b->len);

	/* xt_entry_match and xt_entry_target share this user-side header. */
	_Static_assert(sizeof(struct xt_entry_match) == sizeof(struct xt_entry_target), "same header");
	if (b->len + size > sizeof(b->data))
		abort();
	m->u.user.match_size = (uint16_t)size;
	strncpy(m->u.user.name, name, sizeof(m->u.user.name) - 1);
	m->u.user.revision = revision;
	b->len += size;
	return m->data;
}

static void *add_match(struct blob *b, const char *name, uint8_t revision, size_t payload)
{
	return blob_add(b, sizeof(struct xt_entry_match), name, revision, payload);
}

static void add_matches(struct blob *b, const struct rs_rule *r)
{
	if (r->proto == IPPROTO_TCP) {
		struct xt_tcp *tcp = add_match(b, "tcp", REV_TCPUDP, sizeof(*tcp));

		tcp->spts[1] = 0xffff;
		tcp->dpts[0] = r->dport_max ? r->dport_min : 0;
		tcp->dpts[1] = r->dport_max ? r->dport_max : 0xffff;
		if (r->tcp_not_syn) {
			tcp->flg_mask = 0x17; /* FIN,SYN,RST,ACK */
			tcp->flg_cmp = 0x02;  /* SYN */
			tcp->invflags = XT_TCP_INV_FLAGS;
		}
	} else if (r->proto == IPPROTO_UDP) {
		struct xt_udp *udp = add_match(b, "udp", REV_TCPUDP, sizeof(*udp));

		udp->spts[1] = 0xffff;
		udp->dpts[0] = r->dport_max ? r->dport_min : 0;
		udp->dpts[1] = r->dport_max ? r->dport_max : 0xffff;
	} else if (r->icmp && r->proto == IPPROTO_ICMP) {
		struct ipt_icmp *icmp = add_match(b, "icmp", REV_ICMP, sizeof(*icmp));

		icmp->type = r->icmp_type;
		icmp->code[1] = 0xff;
	} else if (r->icmp && r->proto == IPPROTO_ICMPV6) {
		struct ip6t_icmp *icmp = add_match(b, "icmp6", REV_ICMP, sizeof(*icmp));

		icmp->type = r->icmp_type;
		icmp->code[1] = 0xff;
	}
	if (r->dst_local) {
		struct xt_addrtype_info_v1 *at = add_match(b, "addrtype", REV_ADDRTYPE, sizeof(*at));

		at->dest = XT_ADDRTYPE_LOCAL;
	}
	if (r->zone_match) {
		struct xt_connmark_mtinfo1 *cm = add_match(b, "connmark", REV_CONNMARK, sizeof(*cm));

		cm->mark = r->zone;
		cm->mask = RS_ZONE_MASK;
		cm->invert = r->zone_match == RS_ZM_NOT;
	}
	if (r->ctstate || r->ctdir) {
		struct xt_conntrack_mtinfo3 *ct = add_match(b, "conntrack", REV_CONNTRACK, sizeof(*ct));

		if (r->ctstate) {
			ct->match_flags = XT_CONNTRACK_STATE;
			ct->state_mask = r->ctstate;
		}
		/* As iptables writes --ctdir: REPLY is the inverted flag. */
		if (r->ctdir) {
			ct->match_flags |= XT_CONNTRACK_DIRECTION;
			if (r->ctdir == RS_DIR_REPLY)
				ct->invert_flags |= XT_CONNTRACK_DIRECTION;
		}
	}
}

static void add_target(struct blob *b, const struct rs_rule *r)
{
	const char *label = r->target == RS_ACCEPT ? "ACCEPT" : r->target == RS_DROP ? "DROP" : r->jump;

	switch (r->target) {
	case RS_ACCEPT:
	case RS_DROP:
	case RS_JUMP:
		/* A standard target: libiptc turns the label into a verdict. */
		blob_add(b, sizeof(struct xt_entry_target), label, 0, sizeof(int));
		break;
	case RS_DNAT: {
		struct nf_nat_range2 *nat = blob_add(b, sizeof(struct xt_entry_target), "DNAT", REV_DNAT,
						     sizeof(*nat));

		nat->flags = NF_NAT_RANGE_MAP_IPS;
		nat->min_addr.ip = nat->max_addr.ip = htonl(r->to_addr);
		if (r->to_port) {
			nat->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
			nat->min_proto.tcp.port = nat->max_proto.tcp.port = htons(r->to_port);
		}
		break;
	}
	case RS_MASQUERADE: {
		struct nf_nat_ipv4_multi_range_compat *m =
			blob_add(b, sizeof(struct xt_entry_target), "MASQUERADE", REV_MASQUERADE, sizeof(*m));

		m->rangesize = 1;
		break;
	}
	case RS_SET_ZONE: {
		struct xt_connmark_tginfo2 *cm = blob_add(b, sizeof(struct xt_entry_target), "CONNMARK",
							  REV_CONNMARK_TARGET, sizeof(*cm));

		/* As iptables writes --set-xmark (nfmask is unused by SET). */
		cm->mode = XT_CONNMARK_SET;
		cm->ctmark = r->zone;
		cm->ctmask = RS_ZONE_MASK;
		cm->nfmask = UINT32_MAX;
		break;
	}
	}
}

/* As iptables does it: a wildcard "eth+" keeps its '+' in the name and
 * masks the prefix; a plain name masks the name and its terminating NUL. */
static void set_iface(const char *name, char iface[IFNAMSIZ], unsigned char mask[IFNAMSIZ])
{
	size_t len;

	if (!name)
		return;
	len = strlen(name);
	memcpy(iface, name, len);
	memset(mask, 0xff, len && name[len - 1] == '+' ? len - 1 : len + 1);
}

static uint32_t prefix_mask(unsigned len)
{
	return len ? htonl(UINT32_MAX << (32 - len)) : 0;
}

void *entry_build(const struct rs_rule *r, size_t *ret_size)
{
	struct blob m = { 0 }, t = { 0 };
	size_t head = rs_tables[r->table].family == 6 ? sizeof(struct ip6t_entry) : sizeof(struct ipt_entry);
	size_t size;
	unsigned char *buf;

	add_matches(&m, r);
	add_target(&t, r);
	size = head + m.len + t.len;
	buf = xcalloc(1, size);
	memcpy(buf + head, m.data, m.len);
	memcpy(buf + head + m.len, t.data, t.len);
	if (rs_tables[r->table].family == 6) {
		struct ip6t_entry *e = (struct ip6t_entry *)buf;

		set_iface(r->in, e->ipv6.iniface, e->ipv6.iniface_mask);
		set_iface(r->out, e->ipv6.outiface, e->ipv6.outiface_mask);
		if (r->out_not)
			e->ipv6.invflags |= IP6T_INV_VIA_OUT;
		e->ipv6.proto = r->proto;
		if (r->proto)
			e->ipv6.flags |= IP6T_F_PROTO;
		e->target_offset = (uint16_t)(head + m.len);
		e->next_offset = (uint16_t)size;
	} else {
		struct ipt_entry *e = (struct ipt_entry *)buf;

		set_iface(r->in, e->ip.iniface, e->ip.iniface_mask);
		set_iface(r->out, e->ip.outiface, e->ip.outiface_mask);
		if (r->out_not)
			e->ip.invflags |= IPT_INV_VIA_OUT;
		e->ip.proto = r->proto;
		e->ip.src.s_addr = htonl(r->src) & prefix_mask(r->src_len);
		e->ip.smsk.s_addr = prefix_mask(r->src_len);
		e->ip.dst.s_addr = htonl(r->dst) & prefix_mask(r->dst_len);
		e->ip.dmsk.s_addr = prefix_mask(r->dst_len);
		e->target_offset = (uint16_t)(head + m.len);
		e->next_offset = (uint16_t)size;
	}
	*ret_size = size;
	return buf;
}
