#include "diag/probe.h"

#include <sstream>

#include "core/strings.h"

namespace ljail::diag {

// The probes as one Perl program (probe.h: only perl-base is needed).
constexpr const char* kProbeScript = R"perl(use strict; use warnings; use Socket qw(:all);
# ljail doctor's network probes: one "PROBE name target ok|fail errno detail" line each.
my $name = $ARGV[0] // '';
$| = 1;
sub out { my ($p, $t, $ok, $e, $d) = @_; $t = '-' if !defined $t || $t eq ''; $d //= ''; $d =~ s/[\r\n]+/ /g;
  printf "PROBE %s %s %s %d %s\n", $p, $t, $ok ? 'ok' : 'fail', $e, $d; return 0 }
sub fail { my ($p, $t) = @_; my $e = $! + 0; my $d = "$!"; return out($p, $t, 0, $e, $d) }
sub readable { my ($fh, $secs) = @_; my $rin = ''; vec($rin, fileno($fh), 1) = 1;
  return select($rin, undef, undef, $secs) }
sub sockaddr_of { my ($ip, $port) = @_;
  if ($ip =~ /:/) { my $a = inet_pton(AF_INET6, $ip) or return (); return (AF_INET6, pack_sockaddr_in6($port, $a)) }
  my $a = inet_aton($ip) or return (); return (AF_INET, pack_sockaddr_in($port, $a)) }

my @ns;
if (open my $f, '<', '/etc/resolv.conf') { while (<$f>) { push @ns, $1 if /^\s*nameserver\s+(\S+)/ } }
out('resolv_conf', '', scalar(@ns) > 0, 0, @ns ? join(',', @ns) : 'no nameserver line in /etc/resolv.conf');

# ". IN NS", recursion desired: every resolver answers it.
my $query = pack('n6', int(rand(65535)), 0x0100, 1, 0, 0, 0) . "\0" . pack('n2', 2, 1);
for my $r (@ns) {
  my ($fam, $sa) = sockaddr_of($r, 53);
  if (!$fam) { out('udp_dns', $r, 0, 22, 'not an address'); next }
  if (socket(my $s, $fam, SOCK_DGRAM, IPPROTO_UDP)) {
    # glibc (2.30 and later) sets IP_RECVERR on its DNS sockets and gives up when refused.
    my ($level, $opt) = $fam == AF_INET6 ? (41, 25) : (0, 11);
    if (setsockopt($s, $level, $opt, pack('i', 1))) { out('ip_recverr', $r, 1, 0, 'accepted') } else { fail('ip_recverr', $r) }
    if (!connect($s, $sa) || !defined send($s, $query, 0)) { fail('udp_dns', $r) }
    elsif (readable($s, 3) > 0) { my $buf;
      if (defined recv($s, $buf, 4096, 0)) { out('udp_dns', $r, 1, 0, length($buf) . ' bytes answered') } else { fail('udp_dns', $r) } }
    else { out('udp_dns', $r, 0, 110, 'no answer in 3 s') }
    close $s;
  } else { fail('udp_dns', $r) }
  if (socket(my $t, $fam, SOCK_STREAM, IPPROTO_TCP)) {
    my $connected = eval { local $SIG{ALRM} = sub { die "timeout\n" }; alarm 3; my $c = connect($t, $sa); alarm 0; $c };
    if (($@ // '') eq "timeout\n") { out('tcp_connect', $r, 0, 110, 'no answer in 3 s') }
    elsif (!$connected) { fail('tcp_connect', $r) }
    else { out('tcp_connect', $r, 1, 0, 'port 53 open');
      send($t, pack('n', length $query) . $query, 0);
      my $buf = '';
      if (readable($t, 3) > 0) { recv($t, $buf, 4096, 0) }
      if (length($buf) > 2) { out('tcp_dns', $r, 1, 0, (length($buf) - 2) . ' bytes answered') }
      else { out('tcp_dns', $r, 0, 110, 'no answer in 3 s') } }
    close $t;
  } else { fail('tcp_connect', $r) }
}

if ($name eq '') {
  for my $file (glob('/etc/apt/sources.list /etc/apt/sources.list.d/*')) {
    open my $h, '<', $file or next;
    while (<$h>) { next if /^\s*#/; if (m{https?://([^/\s:\]]+)}) { $name = $1; last } }
    last if $name ne '';
  }
}
$name = 'debian.org' if $name eq '';
{ my ($err, @res) = getaddrinfo($name, '', { socktype => SOCK_STREAM });
  if ($err) { out('libc_lookup', $name, 0, $err + 0, "$err") }
  else { my %seen; my @a = grep { !$seen{$_}++ } map { (getnameinfo($_->{addr}, NI_NUMERICHOST, NIx_NOSERV))[1] } @res;
    out('libc_lookup', $name, 1, 0, join(',', @a)) } }

if (socket(my $i, AF_INET, SOCK_DGRAM, 1)) { out('icmp_dgram', '', 1, 0, 'unprivileged ICMP socket') } else { fail('icmp_dgram', '') }
if (socket(my $i, AF_INET, SOCK_RAW, 1)) { out('icmp_raw', '', 1, 0, 'raw ICMP socket') } else { fail('icmp_raw', '') }
if (socket(my $s6, AF_INET6, SOCK_STREAM, 0)) { out('inet6_socket', '', 1, 0, 'AF_INET6 socket') } else { fail('inet6_socket', '') }

# A netlink route dump (what `ip link` does): nlmsghdr + ifinfomsg, RTM_GETLINK, NLM_F_REQUEST|NLM_F_DUMP.
if (socket(my $nl, 16, SOCK_RAW, 0)) {
  my $req = pack('L S S L L', 32, 18, 0x301, 1, 0) . pack('C C S i I I', 0, 0, 0, 0, 0, 0);
  if (!defined send($nl, $req, 0, pack('S x2 L L', 16, 0, 0))) { fail('netlink_route', '') }
  elsif (readable($nl, 3) > 0) { my $buf;
    if (!defined recv($nl, $buf, 65536, 0)) { fail('netlink_route', '') }
    else { my (undef, $type) = unpack('L S', $buf);
      if ($type == 2) { my $e = -unpack('x16 i', $buf); out('netlink_route', '', $e == 0, $e, 'netlink error reply') }
      else { out('netlink_route', '', 1, 0, 'link dump answered') } } }
  else { out('netlink_route', '', 0, 110, 'no answer in 3 s') }
} else { fail('netlink_route', '') }

# bind + listen as servers do; "localhost" the way tornado's bind_sockets does it:
# every address getaddrinfo gives, AF_INET6 included.
sub bind_one { my ($label, $fam, $sa) = @_;
  socket(my $s, $fam, SOCK_STREAM, 0) or return fail('bind', $label);
  setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1);
  bind($s, $sa) or return fail('bind', $label);
  listen($s, 5) or return fail('bind', $label);
  my ($e, $host) = getnameinfo(getsockname($s), NI_NUMERICHOST, NIx_NOSERV);
  return $host // '?' }
for my $ip ('127.0.0.1', '::1') { my ($fam, $sa) = sockaddr_of($ip, 0);
  my $got = bind_one($ip, $fam, $sa); out('bind', $ip, 1, 0, "bound $got") if $got }
{ my ($err, @ais) = getaddrinfo('localhost', 0, { socktype => SOCK_STREAM, flags => AI_PASSIVE });
  if ($err) { out('bind', 'localhost', 0, $err + 0, "$err") }
  else { my @got; my $ok = 1;
    for my $ai (@ais) { my $g = bind_one('localhost', $ai->{family}, $ai->{addr}); if (!$g) { $ok = 0; last } push @got, $g }
    out('bind', 'localhost', 1, 0, 'bound ' . join(',', @got)) if $ok } }
)perl";

const char* ProbeScript() { return kProbeScript; }

std::vector<ProbeResult> ParseProbeOutput(const std::string& output) {
  std::vector<ProbeResult> out;
  for (const std::string& line : SplitLines(output)) {
    std::istringstream in(line);
    std::string tag, name, target, state;
    int error = 0;
    if (!(in >> tag >> name >> target >> state >> error) || tag != "PROBE") continue;
    if (state != "ok" && state != "fail") continue;
    std::string detail;
    std::getline(in, detail);
    out.push_back({name, target == "-" ? "" : target, state == "ok", error, Trim(detail)});
  }
  return out;
}

}  // namespace ljail::diag
