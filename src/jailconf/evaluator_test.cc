#include "jailconf/evaluator.h"

#include <gtest/gtest.h>

#include "jailconf/jail_config.h"

namespace ljail::jailconf {
namespace {

JailConfig Eval(const std::string& text) { return JailConfig::FromText("t.conf", text, RootFs()); }

// "name=[foo] path=[/x] persist=[]": the parameters in jail(8)'s order.
std::string Params(const JailConfig& config, const std::string& jail) {
  const EvaluatedJail* j = config.Find(jail);
  if (!j) return "<no jail " + jail + ">";
  std::string out;
  for (const EvaluatedParam& p : j->params) {
    if (!out.empty()) out += ' ';
    out += p.name + "=[";
    for (size_t i = 0; i < p.values.size(); ++i) out += (i ? "," : "") + p.values[i];
    out += "]";
  }
  return out;
}

// Errors only: warnings (unknown parameter names) are tested in validate_test.
std::string Messages(const JailConfig& config) {
  std::string out = config.syntax.ToString();
  for (const Diagnostic& d : config.evaluation.all()) {
    if (d.severity == Severity::kError) out += FormatDiagnostic(d) + "\n";
  }
  return out;
}

TEST(Evaluator, NameIsImpliedByTheBlock) {
  JailConfig c = Eval("foo { path = /j; }");
  EXPECT_EQ(Params(c, "foo"), "name=[foo] path=[/j]");
}

TEST(Evaluator, NumericBlockNameIsTheJid) {
  JailConfig c = Eval("5 { path = /j; name = five; }");
  EXPECT_EQ(Params(c, "5"), "jid=[5] path=[/j] name=[five]");
}

TEST(Evaluator, ZeroIsANameNotAJid) {
  // jail(8) tests strtol() != 0, so "0" stays a name.
  EXPECT_EQ(Params(Eval("0 { a; }"), "0"), "name=[0] a=[]");
}

TEST(Evaluator, NameCannotBeRedefined) {
  JailConfig c = Eval("foo {\n name = bar;\n}");
  EXPECT_EQ(Messages(c), "t.conf line 2: foo: cannot redefine parameter \"name\".\n");
  EXPECT_TRUE(c.Find("foo")->failed);
}

TEST(Evaluator, NameCannotBeRedefinedFromAWildcard) {
  JailConfig c = Eval("foo { a; }\n* { name = x; }\n");
  EXPECT_EQ(Messages(c), "t.conf line 2: foo: cannot redefine parameter \"name\".\n");
}

TEST(Evaluator, JidOfANumericBlockCannotBeRedefined) {
  EXPECT_EQ(Messages(Eval("7 { jid = 8; }")),
            "t.conf line 1: 7: cannot redefine parameter \"jid\".\n");
}

TEST(Evaluator, TopLevelStatementsAreDefaults) {
  JailConfig c = Eval("exec.clean;\npath = \"/jails/$name\";\nfoo { a; }\nbar { a; }");
  EXPECT_TRUE(Messages(c).empty()) << Messages(c);
  EXPECT_EQ(Params(c, "foo"), "name=[foo] exec.clean=[] path=[/jails/foo] a=[]");
  EXPECT_EQ(Params(c, "bar"), "name=[bar] exec.clean=[] path=[/jails/bar] a=[]");
}

TEST(Evaluator, WildcardBeforeIsADefaultAfterIsAnOverride) {
  JailConfig c = Eval("* { x = before; y = before; }\nfoo { x = own; y = own; }\n* { y = after; }");
  EXPECT_EQ(Params(c, "foo"), "name=[foo] x=[own] y=[after]");
}

TEST(Evaluator, TopLevelAfterTheJailOverrides) {
  JailConfig c = Eval("foo { securelevel = 1; }\nsecurelevel = 3;\n");
  EXPECT_EQ(Params(c, "foo"), "name=[foo] securelevel=[3]");
}

TEST(Evaluator, PrefixWildcardMatchesChildrenOnly) {
  JailConfig c =
      Eval("\"web.*\" { role = web; }\nweb { a; }\nweb.a { a; }\nweb.a.b { a; }\ndb { a; }");
  EXPECT_EQ(Params(c, "web"), "name=[web] a=[]");
  EXPECT_EQ(Params(c, "web.a"), "name=[web.a] role=[web] a=[]");
  EXPECT_EQ(Params(c, "web.a.b"), "name=[web.a.b] role=[web] a=[]") << "a final * matches many";
  EXPECT_EQ(Params(c, "db"), "name=[db] a=[]");
}

TEST(Evaluator, InnerWildcardMatchesOneComponent) {
  JailConfig c = Eval("\"*.db\" { role = db; }\nx.db { a; }\nx.y.db { a; }\n");
  EXPECT_EQ(Params(c, "x.db"), "name=[x.db] role=[db] a=[]");
  EXPECT_EQ(Params(c, "x.y.db"), "name=[x.y.db] a=[]");
}

TEST(Evaluator, StarInsideAComponentIsNotAWildcard) {
  JailConfig c = Eval("\"we*\" { a; }");
  EXPECT_EQ(Params(c, "we*"), "name=[we*] a=[]");
}

TEST(Evaluator, UnquotedPrefixWildcardIsASyntaxError) {
  // '*' is a one-character piece: `web.* {` is "web." glued to "*", and the
  // grammar wants a single word before '{'. jail(8) rejects it; quote it.
  EXPECT_EQ(Messages(Eval("web.* { a; }")), "t.conf line 1: *: syntax error\n");
}

TEST(Evaluator, SetReplacesAppendAppends) {
  JailConfig c = Eval("* { mount = a; }\nfoo { mount += b; mount += c, d; }\nbar { mount = z; }");
  EXPECT_EQ(Params(c, "foo"), "name=[foo] mount=[a,b,c,d]");
  EXPECT_EQ(Params(c, "bar"), "name=[bar] mount=[z]");
}

TEST(Evaluator, ValuelessStatementClearsAList) {
  EXPECT_EQ(Params(Eval("foo { ip4.addr = 1.2.3.4; ip4.addr; }"), "foo"), "name=[foo] ip4.addr=[]");
}

TEST(Evaluator, OptionalEqualsSign) {
  EXPECT_EQ(Params(Eval("foo { path /j; host.hostname h.example; }"), "foo"),
            "name=[foo] path=[/j] host.hostname=[h.example]");
}

TEST(Evaluator, NoPrefixNamesTheSameParameter) {
  JailConfig c = Eval("* { persist; }\nfoo { nopersist; }\nbar { allow.mount; allow.nomount; }");
  EXPECT_EQ(Params(c, "foo"), "name=[foo] nopersist=[]");
  EXPECT_FALSE(c.Find("foo")->Bool("persist"));
  EXPECT_EQ(Params(c, "bar"), "name=[bar] persist=[] allow.nomount=[]");
  EXPECT_FALSE(c.Find("bar")->Bool("allow.mount"));
}

TEST(Evaluator, BooleanForms) {
  JailConfig c = Eval(
      "j { persist; allow.mount = false; allow.raw_sockets = TRUE; exec.clean = 0; "
      "mount.devfs = 2; allow.nochflags = false; }");
  const EvaluatedJail& j = *c.Find("j");
  EXPECT_TRUE(j.Bool("persist"));
  EXPECT_FALSE(j.Bool("allow.mount"));
  EXPECT_TRUE(j.Bool("allow.raw_sockets"));
  EXPECT_FALSE(j.Bool("exec.clean"));
  EXPECT_TRUE(j.Bool("mount.devfs"));
  EXPECT_TRUE(j.Bool("allow.chflags")) << "no-prefix inverts false";
  EXPECT_FALSE(j.Bool("allow.nochflags"));
  EXPECT_TRUE(j.Bool("vnet", true)) << "unset gives the fallback";
}

TEST(Evaluator, ParametersAreVariables) {
  JailConfig c = Eval(
      "foo { path = /j/foo; host.hostname = \"$name.example\"; x = \"${path}/dev "
      "${host.hostname}\"; }");
  EXPECT_EQ(Params(c, "foo"),
            "name=[foo] path=[/j/foo] host.hostname=[foo.example] x=[/j/foo/dev foo.example]");
}

TEST(Evaluator, PlainVariableNameStopsAtADot) {
  JailConfig c = Eval("foo { $host = H; x = $host.hostname; }");
  EXPECT_EQ(Params(c, "foo"), "name=[foo] x=[H.hostname]");
}

TEST(Evaluator, VariablesResolvePerJailAfterMerging) {
  JailConfig c =
      Eval("$base = /jails;\npath = \"$base/$name\";\nfoo { $base = /other; }\nbar { a; }");
  EXPECT_EQ(Params(c, "foo"), "name=[foo] path=[/other/foo]") << "the jail's own value wins";
  EXPECT_EQ(Params(c, "bar"), "name=[bar] path=[/jails/bar] a=[]");
}

TEST(Evaluator, VariableDefinedLaterIsFound) {
  EXPECT_EQ(Params(Eval("foo { x = \"$v/x\"; $v = V; }"), "foo"), "name=[foo] x=[V/x]");
}

TEST(Evaluator, VariablesAreListedApart) {
  JailConfig c = Eval("foo { $ljail_distro = debian; $ljail_suite = bookworm; persist; }");
  const EvaluatedJail& j = *c.Find("foo");
  ASSERT_EQ(j.variables.size(), 2u);
  EXPECT_EQ(j.Variable("ljail_distro"), "debian");
  EXPECT_EQ(Params(c, "foo"), "name=[foo] persist=[]");
}

TEST(Evaluator, ChainedVariablesMoveTheirSourceFirst) {
  // jail(8) moves a parameter that still holds variables in front of the one
  // using it, then resolves it: the final order is jail(8)'s.
  JailConfig c = Eval("foo { a = \"$b!\"; b = \"$c?\"; c = C; }");
  EXPECT_EQ(Params(c, "foo"), "name=[foo] b=[C?] a=[C?!] c=[C]");
}

TEST(Evaluator, MissingVariable) {
  JailConfig c = Eval("foo {\n path = \"/j/$nope\";\n}");
  EXPECT_EQ(Messages(c), "t.conf line 2: foo: path: variable \"nope\" not found\n");
  EXPECT_TRUE(c.Find("foo")->failed);
  EXPECT_FALSE(c.JailIsUsable("foo"));
}

TEST(Evaluator, ValuelessParameterIsNotAVariable) {
  EXPECT_EQ(Messages(Eval("foo { persist; x = $persist; }")),
            "t.conf line 1: foo: x: variable \"persist\" not found\n");
}

TEST(Evaluator, OnlyTheBrokenJailFails) {
  JailConfig c = Eval("foo { x = $nope; }\nbar { a; }");
  EXPECT_FALSE(c.JailIsUsable("foo"));
  EXPECT_TRUE(c.JailIsUsable("bar"));
}

TEST(Evaluator, VariableLoop) {
  EXPECT_EQ(Messages(Eval("foo { $a = \"$b\"; $b = \"$a\"; }")),
            "t.conf line 1: foo: a: variable loop\n");
}

TEST(Evaluator, SelfReferenceIsALoop) {
  EXPECT_EQ(Messages(Eval("foo { $a = \"x$a\"; }")), "t.conf line 1: foo: a: variable loop\n");
}

TEST(Evaluator, ArrayCannotBeSubstitutedInline) {
  EXPECT_EQ(Messages(Eval("foo { $ips = 1.1.1.1, 2.2.2.2; x = \"addr $ips\"; }")),
            "t.conf line 1: foo: x: array cannot be substituted inline\n");
  EXPECT_EQ(Messages(Eval("foo { $l = a, b; x = \"$l/x\"; }")),
            "t.conf line 1: foo: x: array cannot be substituted inline\n");
}

TEST(Evaluator, SingleValueVariableStandsAlone) {
  EXPECT_EQ(Params(Eval("foo { $ip = 10.0.0.9; ip4.addr = $ip; }"), "foo"),
            "name=[foo] ip4.addr=[10.0.0.9]");
}

TEST(Evaluator, ListVariableAsAWholeValueCrashesJail8) {
  JailConfig c = Eval("foo { $ips = 1.1.1.1, 2.2.2.2; ip4.addr = $ips; }");
  EXPECT_EQ(Params(c, "foo"), "name=[foo] ip4.addr=[1.1.1.1,2.2.2.2]");
  EXPECT_EQ(Messages(c),
            "t.conf line 1: foo: ip4.addr: list variable \"ips\" used as a whole value: jail(8) "
            "crashes on this; write the values out\n");
  EXPECT_FALSE(c.JailIsUsable("foo"));
}

TEST(Evaluator, VariableCannotShareAParameterName) {
  EXPECT_EQ(Messages(Eval("foo { path = /x; $path = y; }")),
            "t.conf line 1: foo: variable \"$path\" cannot have the same name as a parameter.\n");
  EXPECT_EQ(Messages(Eval("foo { $persist = 1; }")),
            "t.conf line 1: foo: variable \"$persist\" cannot have the same name as a parameter.\n")
      << "jail(8)'s own parameters are reserved even when unset";
  EXPECT_EQ(Messages(Eval("foo { $name = x; }")),
            "t.conf line 1: foo: variable \"$name\" cannot have the same name as a parameter.\n");
  EXPECT_EQ(Messages(Eval("foo { $x = 1; x = 2; }")),
            "t.conf line 1: foo: variable \"$x\" cannot have the same name as a parameter.\n");
}

TEST(Evaluator, VariableMayShareANameJail8DoesNotReserve) {
  EXPECT_EQ(Messages(Eval("foo { $hostname = h; $ip4 = x; }")), "");
}

TEST(Evaluator, DuplicateJailBlocks) {
  JailConfig c = Eval("foo { a; }\nfoo { b; }\n");
  EXPECT_EQ(Messages(c),
            "t.conf line 2: foo: jail \"foo\" is defined again (first at t.conf line 1); jail(8) "
            "does not merge blocks and fails on the second\n");
}

TEST(Evaluator, WildcardsAloneDefineNoJail) {
  EXPECT_TRUE(Eval("* { persist; }\nexec.clean;").jails.empty());
}

TEST(Evaluator, HandbookLinuxJail) {
  // FreeBSD Handbook, "Creating a Linux Jail" (docs/freebsd.md §3.2).
  JailConfig c = Eval(R"(ubuntu {
  # STARTUP/LOGGING
  exec.start = "/bin/sh /etc/rc";
  exec.stop = "/bin/sh /etc/rc.shutdown";
  exec.consolelog = "/var/log/jail_console_${name}.log";

  # PERMISSIONS
  allow.raw_sockets;
  exec.clean;
  mount.devfs;
  devfs_ruleset = 4;

  # HOSTNAME/PATH
  host.hostname = "${name}";
  path = "/usr/local/jails/containers/${name}";

  # NETWORK
  ip4.addr = 192.168.1.150;
  interface = em0;

  # MOUNT
  mount += "devfs     $path/compat/ubuntu/dev     devfs     rw  0 0";
  mount += "tmpfs     $path/compat/ubuntu/dev/shm tmpfs     rw,size=1g,mode=1777  0 0";
  mount += "fdescfs   $path/compat/ubuntu/dev/fd  fdescfs   rw,linrdlnk 0 0";
  mount += "linprocfs $path/compat/ubuntu/proc    linprocfs rw  0 0";
  mount += "linsysfs  $path/compat/ubuntu/sys     linsysfs  rw  0 0";
  mount += "/tmp      $path/compat/ubuntu/tmp     nullfs    rw  0 0";
  mount += "/home     $path/compat/ubuntu/home    nullfs    rw  0 0";
}
)");
  EXPECT_EQ(Messages(c), "");
  const EvaluatedJail& j = *c.Find("ubuntu");
  EXPECT_EQ(j.String("exec.consolelog"), "/var/log/jail_console_ubuntu.log");
  EXPECT_EQ(j.String("path"), "/usr/local/jails/containers/ubuntu");
  std::vector<std::string> mounts = j.List("mount");
  ASSERT_EQ(mounts.size(), 7u);
  EXPECT_EQ(mounts[0],
            "devfs     /usr/local/jails/containers/ubuntu/compat/ubuntu/dev     devfs     rw  0 0");
  EXPECT_EQ(mounts[6],
            "/home     /usr/local/jails/containers/ubuntu/compat/ubuntu/home    nullfs    rw  0 0");
  EXPECT_TRUE(j.Bool("allow.raw_sockets"));
}

TEST(Evaluator, SeedWalkthroughJailWithJailConfDefaults) {
  // seed-walkthrough.md step 6: d2l.conf holds only the differences; the
  // defaults come from /etc/jail.conf's top-level statements.
  JailConfig c = Eval(R"(exec.start = "/bin/sh /etc/rc";
exec.stop = "/bin/sh /etc/rc.shutdown";
exec.clean;
mount.devfs;
interface = wifibox0;
host.hostname = "${name}.cloud-atlas.io";
path = "/usr/local/jails/containers/${name}";

d2l {
  devfs_ruleset=4;
  ip4.addr="10.0.0.9/24";
  mount += "devfs     $path/compat/debian/dev     devfs     rw  0 0";
  mount += "tmpfs     $path/compat/debian/dev/shm tmpfs     rw,size=1g,mode=1777  0 0";
  mount += "fdescfs   $path/compat/debian/dev/fd  fdescfs   rw,linrdlnk 0 0";
  mount += "linprocfs $path/compat/debian/proc    linprocfs rw  0 0";
  mount += "linsysfs  $path/compat/debian/sys     linsysfs  rw  0 0";
  mount += "/tmp      $path/compat/debian/tmp     nullfs    rw  0 0";
  mount += "/home     $path/compat/debian/home    nullfs    rw  0 0";
}
)");
  EXPECT_EQ(Messages(c), "");
  const EvaluatedJail& j = *c.Find("d2l");
  EXPECT_EQ(j.String("host.hostname"), "d2l.cloud-atlas.io");
  EXPECT_EQ(j.String("ip4.addr"), "10.0.0.9/24");
  EXPECT_EQ(j.String("devfs_ruleset"), "4");
  EXPECT_EQ(j.List("mount").at(1),
            "tmpfs     /usr/local/jails/containers/d2l/compat/debian/dev/shm tmpfs     "
            "rw,size=1g,mode=1777  0 0");
}

}  // namespace
}  // namespace ljail::jailconf
