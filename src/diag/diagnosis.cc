#include "diag/diagnosis.h"

#include <fmt/format.h>

#include <algorithm>

namespace ljail::diag {
namespace {

// Linux errno values, as a Linux program sees them (also under the
// Linuxulator, which maps FreeBSD's: docs/freebsd.md §5).
constexpr int kEperm = 1;
constexpr int kEacces = 13;
constexpr int kEnoprotoopt = 92;
constexpr int kEprotonosupport = 93;
constexpr int kEafnosupport = 97;
constexpr int kEaddrnotavail = 99;
constexpr int kEnetunreach = 101;
constexpr int kEtimedout = 110;
constexpr int kEconnrefused = 111;
constexpr int kEhostunreach = 113;

const ProbeResult* Find(const std::vector<ProbeResult>& probes, const std::string& name,
                        const std::string& target = "") {
  auto it = std::find_if(probes.begin(), probes.end(), [&](const ProbeResult& p) {
    return p.name == name && (target.empty() || p.target == target);
  });
  return it == probes.end() ? nullptr : &*it;
}

std::string Evidence(const ProbeResult& p) {
  return p.ok ? p.detail : fmt::format("errno {} ({})", p.error, p.detail);
}

std::string Who(const JailNetwork& n) { return n.user.empty() ? "root" : n.user; }

// `ljail set` edits the jail's file and restarts it when jail(8) must.
std::string SetCommand(const JailNetwork& n, const std::string& assignment) {
  return fmt::format("ljail set {} {}", n.jail, assignment);
}

std::string JailAddress(const JailNetwork& n) {
  return n.ip4.empty() ? "the jail's address" : n.ip4.front().substr(0, n.ip4.front().find('/'));
}

// AF_INET6 refused: the seed's Jupyter (tornado) failure.
Finding NoIpv6(const JailNetwork& n, const std::string& check, const ProbeResult& p) {
  Finding f{check, Verdict::kFail, Evidence(p), "", ""};
  if (n.freebsd && p.error == kEprotonosupport) {
    f.cause =
        "the jail has no IPv6 (ip6 = disable, or not set: new jails get none): FreeBSD refuses "
        "AF_INET6 sockets with EPROTONOSUPPORT, which Linux programs see as errno 93 — "
        "Jupyter/tornado's `OSError: [Errno 93] Protocol not supported` (prison_check_af() in "
        "sys/kern/kern_jail.c)";
    f.fix = SetCommand(n, "ip6=inherit");
  } else if (p.error == kEafnosupport) {
    f.cause = "IPv6 is off in this kernel or network namespace (ipv6.disable=1, or disable_ipv6)";
    f.fix = "sysctl -w net.ipv6.conf.all.disable_ipv6=0   # on the host, or in the jail's vnet";
  } else {
    f.cause = "AF_INET6 sockets cannot be made here";
  }
  return f;
}

// A UDP query to one resolver: why it failed, from its errno.
Finding UdpDnsFinding(const ProbeResult& p, const std::vector<ProbeResult>& probes,
                      const JailNetwork& n) {
  Finding f{fmt::format("UDP DNS to {} (as {})", p.target, Who(n)), Verdict::kOk, Evidence(p), "",
            ""};
  if (!p.ok) {
    f.verdict = Verdict::kFail;
    const ProbeResult* tcp = Find(probes, "tcp_dns", p.target);
    std::string tcp_too =
        tcp && tcp->ok ? " TCP to the same resolver works, so it is UDP alone: " : " ";
    if (p.error == kEconnrefused) {
      f.cause = fmt::format(
          "{} answered the UDP query with \"port unreachable\":{}nothing listens on UDP port "
          "53 there for queries from {}{} (dig shows \"connection refused\")",
          p.target, tcp_too, JailAddress(n),
          n.freebsd && !n.vnet
              ? " — in a shared-IP jail they leave from the jail's own address, which a "
                "resolver bound to 127.0.0.1 or to the host's LAN address only does not serve"
              : "");
      f.fix = fmt::format("{}   # a resolver that serves the jail (or make {} answer {})",
                          SetCommand(n, "dns=static:ADDR"), p.target, JailAddress(n));
    } else if (p.error == kEtimedout || p.error == kEnetunreach || p.error == kEhostunreach) {
      f.cause = fmt::format(
          "no UDP answer from {}:{}a firewall drops UDP port 53, or the way back to {} "
          "is missing",
          p.target, tcp_too, JailAddress(n));
      f.fix =
          fmt::format("check the firewall and routes between {} and {}", JailAddress(n), p.target);
      if (n.vnet) {
        f.cause += "; a vnet jail's network ends at its bridge unless the host routes it";
        f.fix = n.freebsd ? "on the host: sysctl net.inet.ip.forwarding=1 and a pf nat rule for "
                            "the bridge's network (nat on EXT_IF from BRIDGE:network to any -> "
                            "(EXT_IF)), or a resolver on the bridge: " +
                                SetCommand(n, "dns=static:ADDR")
                          : "on the host: sysctl -w net.ipv4.ip_forward=1 and nft add rule ip nat "
                            "postrouting ip saddr BRIDGE-NETWORK masquerade (an nft nat table), or "
                            "a resolver on the bridge: " +
                                SetCommand(n, "dns=static:ADDR");
      }
    } else if (p.error == kEprotonosupport && n.freebsd) {
      f.cause = "the jail has no address of this family (ip4/ip6 = disable or not set)";
      f.fix =
          SetCommand(n, p.target.find(':') != std::string::npos ? "ip6=inherit" : "ip4=inherit");
    } else {
      f.cause = "the resolver cannot be reached over UDP";
    }
  }
  return f;
}

// A TCP query or connect to one resolver.
Finding TcpFinding(const ProbeResult& p, const JailNetwork& n) {
  Finding f{fmt::format("{} to {} port 53 (as {})", p.name == "tcp_dns" ? "TCP DNS" : "TCP connect",
                        p.target, Who(n)),
            p.ok ? Verdict::kOk : Verdict::kWarn, Evidence(p), "", ""};
  if (!p.ok) {
    if (p.error == kEconnrefused) f.cause = "nothing listens on TCP port 53 there";
    if (p.error == kEnetunreach || p.error == kEhostunreach)
      f.cause = "no route from the jail to the resolver";
    if (p.error == kEtimedout) f.cause = "no answer: a firewall drops it";
    if (p.error == kEperm || p.error == kEacces) f.cause = "a firewall refuses it";
  }
  return f;
}

void Dns(const std::vector<ProbeResult>& probes, const JailNetwork& n, std::vector<Finding>* out) {
  const ProbeResult* conf = Find(probes, "resolv_conf");
  if (conf && !conf->ok) {
    out->push_back({"resolvers in /etc/resolv.conf", Verdict::kFail, conf->detail,
                    "no nameserver line: every name lookup fails",
                    SetCommand(n, "dns=copy") + "   # the host's resolvers, at every start"});
  }
  for (const ProbeResult& p : probes) {
    if (p.name == "udp_dns") {
      out->push_back(UdpDnsFinding(p, probes, n));
    } else if (p.name == "tcp_dns" || p.name == "tcp_connect") {
      if (p.name == "tcp_dns" && !p.ok && Find(probes, "tcp_connect", p.target) &&
          !Find(probes, "tcp_connect", p.target)->ok)
        continue;  // the connect's finding says it
      out->push_back(TcpFinding(p, n));
    } else if (p.name == "ip_recverr" && !p.ok && p.error == kEnoprotoopt && n.freebsd) {
      out->push_back(
          {"IP_RECVERR on DNS sockets (glibc)", Verdict::kFail, Evidence(p),
           "glibc 2.30 and later set IP_RECVERR on their DNS sockets and fail the lookup when it "
           "is refused; the Linuxulator accepts it (and IPV6_RECVERR) only while "
           "compat.linux.ignore_ip_recverr is 1, its default, which this host has turned off, "
           "so getaddrinfo fails while dig and nslookup work (linux(4))",
           "sysctl compat.linux.ignore_ip_recverr=1 && echo compat.linux.ignore_ip_recverr=1 >> "
           "/etc/sysctl.conf"});
    }
  }
  if (const ProbeResult* l = Find(probes, "libc_lookup")) {
    Finding f{fmt::format("name lookup of {} through the C library (as {})", l->target, Who(n)),
              l->ok ? Verdict::kOk : Verdict::kFail, Evidence(*l), "", ""};
    if (!l->ok) {
      bool any_udp = std::any_of(probes.begin(), probes.end(),
                                 [](const ProbeResult& p) { return p.name == "udp_dns" && p.ok; });
      f.cause = any_udp
                    ? "a resolver answers, but not with this name's address (see above)"
                    : "no resolver answers over UDP, which the C library uses first (see above)";
    }
    out->push_back(f);
  }
}

void Icmp(const std::vector<ProbeResult>& probes, const JailNetwork& n, std::vector<Finding>* out) {
  const ProbeResult* dgram = Find(probes, "icmp_dgram");
  const ProbeResult* raw = Find(probes, "icmp_raw");
  if (!dgram || !raw) return;
  Finding f{fmt::format("ping (ICMP) as {}", Who(n)), Verdict::kOk,
            fmt::format("datagram: {}; raw: {}", Evidence(*dgram), Evidence(*raw)), "", ""};
  if (dgram->ok || raw->ok) {
    out->push_back(f);
    return;
  }
  f.verdict = Verdict::kWarn;
  std::string no_dgram =
      n.freebsd ? "FreeBSD has no unprivileged ICMP sockets (errno 93 for the datagram socket "
                  "ping tries first), so ping needs a raw socket"
                : "the datagram ICMP socket is refused (net.ipv4.ping_group_range excludes this "
                  "group), so ping needs a raw socket";
  if (!n.user.empty()) {
    f.cause = no_dgram + ", and raw sockets need root: " + n.user +
              " cannot ping (\"SOCK_RAW: Protocol not supported\" or \"Operation not permitted\")" +
              (n.freebsd ? "; setcap cannot help: the Linuxulator has no security.capability "
                           "attribute (errno 95)"
                         : "");
    f.fix = fmt::format(
        "ljail pkg {} install iputils-ping; ljail exec {} -- chmod u+s /usr/bin/ping   # a "
        "setuid ping, as Debian falls back to{}",
        n.jail, n.jail,
        !n.raw_sockets ? "; and: ljail set " + n.jail + " allow.raw_sockets=true" : "");
  } else if (!n.raw_sockets) {
    f.cause = no_dgram + ", and in a jail raw sockets need allow.raw_sockets (off by default)";
    f.fix = SetCommand(n, "allow.raw_sockets=true");
  } else {
    f.cause = no_dgram + (raw->error == kEperm ? ", and raw sockets are not permitted here" : "");
  }
  out->push_back(f);
}

void Netlink(const std::vector<ProbeResult>& probes, const JailNetwork& n,
             std::vector<Finding>* out) {
  const ProbeResult* p = Find(probes, "netlink_route");
  if (!p) return;
  Finding f{"netlink route dump (ip link, ip addr)", Verdict::kOk, Evidence(*p), "", ""};
  if (!p->ok) {
    f.verdict = Verdict::kWarn;
    f.cause = p->error == kEafnosupport
                  ? "no netlink in this kernel: FreeBSD 13 has it only as a module, 14.0 and "
                    "later in GENERIC (netlink(4)); iproute2's `ip` cannot work"
              : p->error == kEprotonosupport
                  ? "this kernel's netlink lacks the route protocol (NETLINK_ROUTE) that "
                    "iproute2's `ip` speaks"
                  : "the netlink socket does not answer";
    if (n.freebsd && p->error == kEafnosupport)
      f.fix = "kldload netlink   # FreeBSD 13.2; or use FreeBSD's ifconfig on the host";
  } else if (!n.vnet && n.freebsd) {
    f.verdict = Verdict::kWarn;
    f.evidence += "; the jail shares the host's network stack (no vnet)";
    f.cause =
        "listing works (every interface; addresses and routes filtered to the jail's own, so "
        "no default route shows; no neighbour table), but changing addresses or routes (`ip "
        "addr add`, `ifconfig eth0 ...`) answers \"RTNETLINK answers: Operation not "
        "permitted\" / \"SIOCSIFADDR\": only a VNET jail may change its own network "
        "(prison_priv_check() in sys/kern/kern_jail.c; sys/netlink/route/ in FreeBSD 14)";
    f.fix =
        "give the jail its own network stack: ljail create NAME --vnet --bridge BRIDGE "
        "--ip4 ADDR/LEN (or configure addresses from the host with ifconfig)";
  }
  out->push_back(f);
}

void Binds(const std::vector<ProbeResult>& probes, const JailNetwork& n,
           std::vector<Finding>* out) {
  for (const ProbeResult& p : probes) {
    if (p.name != "bind") continue;
    std::string check = fmt::format("a server bound to {} (as {})", p.target, Who(n));
    if (!p.ok) {
      if (p.error == kEprotonosupport || p.error == kEafnosupport) {
        out->push_back(NoIpv6(n, check, p));
      } else {
        Finding f{check, Verdict::kFail, Evidence(p), "", ""};
        if (p.error == kEaddrnotavail) f.cause = "the address is not configured in this network";
        out->push_back(f);
      }
      continue;
    }
    std::string bound = p.detail.substr(p.detail.find(' ') + 1);
    Finding f{check, Verdict::kOk, p.detail, "", ""};
    bool rewritten = p.target != "localhost" && bound != p.target;
    if (rewritten) {
      f.verdict = Verdict::kWarn;
      f.cause = fmt::format(
          "{} is rewritten to {}: in a shared-IP jail, loopback is the jail's own address, so a "
          "server meant for localhost only is reachable by anyone who reaches {} "
          "(prison_local_ip4() in sys/netinet/in_jail.c)",
          p.target, bound, bound);
      f.fix = "bind it to the jail's address on purpose and firewall it, or give the jail vnet";
    } else if (!n.freebsd) {
      f.evidence += n.vnet ? "; reachable there from inside the jail only (its own network)"
                           : "; reachable there from inside the jail and from the host, whose "
                             "network it shares";
    }
    out->push_back(f);
  }
}

}  // namespace

std::vector<Finding> Diagnose(const std::vector<ProbeResult>& probes, const JailNetwork& n) {
  std::vector<Finding> out;
  Dns(probes, n, &out);
  if (const ProbeResult* p = Find(probes, "inet6_socket")) {
    std::string check = fmt::format("IPv6 sockets (as {})", Who(n));
    out.push_back(p->ok ? Finding{check, Verdict::kOk, p->detail, "", ""} : NoIpv6(n, check, *p));
  }
  Icmp(probes, n, &out);
  Netlink(probes, n, &out);
  Binds(probes, n, &out);
  return out;
}

}  // namespace ljail::diag
