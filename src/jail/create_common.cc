#include "jail/create_common.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/error.h"
#include "core/strings.h"
#include "jail/discovery.h"
#include "jail/layout.h"
#include "jail/linux_setup.h"
#include "jail/linux_users.h"
#include "jailconf/document.h"

namespace ljail::jail {
namespace {

constexpr const char* kHostZoneinfo = "/usr/share/zoneinfo";

// jail(8) refuses a mount point with a symbolic link anywhere below the
// jail's path (usr.sbin/jail/command.c); so does ljail, before writing a
// config that could never start. Debian's merged /usr makes /lib, /bin,
// /sbin links. A missing directory is fine here: create makes it.
std::string SymlinkOnTheWay(const TreeFs& tree, const std::string& dir) {
  std::optional<TreeFs::Obstacle> obstacle = tree.FirstObstacle(dir);
  return obstacle && !obstacle->missing ? obstacle->path : "";
}

// Time zone, DNS, locale and account, against the template's own files
// when it exists already (a template built now is Debian's fresh base).
void CheckTreeSettings(const host::Host& host, const TreeSetup& setup,
                       const std::string& template_tree, bool template_exists, CreateBasis* basis) {
  JailSpec& spec = basis->spec;
  spec.dns = ParseDnsMode(spec.dns).Text();
  if (spec.timezone.empty()) spec.timezone = HostTimezone(host);
  // The template's zone file, else the host's (copied into the tree by
  // PrepareLinuxTree: minbase trees have no tzdata).
  std::optional<TreeFs> tree;
  if (template_exists) tree = host.Tree(template_tree);
  bool in_template = tree && tree->Exists(std::string(kHostZoneinfo) + "/" + spec.timezone);
  if (!in_template && !(IsUtcZone(spec.timezone) && !host.IsDirectory(kHostZoneinfo))) {
    // The template is ljail's own tree (a jail cannot write it): its zone
    // names serve for the suggestions when the host has none.
    std::string template_zoneinfo = template_tree + kHostZoneinfo;  // tree-path-ok
    ValidateTimezone(
        host, spec.timezone,
        host.IsDirectory(kHostZoneinfo) || !template_exists ? kHostZoneinfo : template_zoneinfo);
  }

  ValidateLocale(setup.locale);
  if (setup.locale != "C.UTF-8") {
    if (auto supported = host.ReadFile("/usr/share/i18n/SUPPORTED")) {
      std::vector<std::string> lines = SplitLines(*supported);
      if (std::find(lines.begin(), lines.end(), LocaleGenLine(setup.locale)) == lines.end())
        ThrowUsage(fmt::format("--locale {}: glibc does not know it (/usr/share/i18n/SUPPORTED)",
                               setup.locale));
    }
  }
  for (const std::string& p : setup.packages) ValidatePackageName(p);
  if (setup.user) {
    // Against the template's accounts: now, or, for a template this create
    // builds, right after it and before anything of the jail exists.
    auto check = [request = *setup.user, template_tree](const host::Host& h) {
      TreeFs t = h.Tree(template_tree);
      PlanAccount(request, t.ReadFile("/etc/passwd", kAccountFileLimit).value_or(""),
                  t.ReadFile("/etc/group", kAccountFileLimit).value_or(""),
                  h.ReadFile("/etc/passwd").value_or(""));
    };
    if (template_exists) {
      check(host);
    } else {
      host::Step step{"user " + setup.user->name + " fits its accounts", false, "", {}};
      step.actions.push_back(host::Action::Custom(
          "uid, gid and groups checked against its /etc/passwd and /etc/group", check));
      basis->template_steps.push_back(step);
    }
  }
  basis->setup_steps = TreeSetupSteps(spec.name, setup, basis->control);
}

}  // namespace

void ValidatePackageName(const std::string& name) {
  // Debian policy §5.6.1, plus apt's release and version selectors.
  bool ok = name.size() >= 2 && (std::islower(static_cast<unsigned char>(name[0])) ||
                                 std::isdigit(static_cast<unsigned char>(name[0])));
  for (char c : name) {
    ok = ok && (std::islower(static_cast<unsigned char>(c)) ||
                std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.' ||
                c == ':' || c == '=' || c == '/' || c == '~');
  }
  if (!ok) {
    ThrowUsage(
        fmt::format("package \"{}\": not a Debian package name (lower-case letters, digits, + - .; "
                    "optionally =VERSION or /RELEASE)",
                    name));
  }
}

std::vector<std::string> MountPointsInTree(const JailSpec& spec) {
  std::vector<std::string> dirs = {"/dev", "/proc", "/sys", "/tmp"};
  for (const Share& s : spec.shares) dirs.push_back(s.jail_dir);
  return dirs;
}

CreateBasis PrepareCreate(const host::Host& host, const Settings& settings,
                          const host::Storage& storage, const CreateOptions& o, ControlFor control,
                          const rootfs::TemplateHost& templates) {
  CreateBasis basis{o.spec, "", {}, {}, control};
  JailSpec& spec = basis.spec;
  ValidateJailName(spec.name);
  if (spec.hostname.empty()) spec.hostname = spec.name;
  ValidateJailSpec(spec);
  for (const Share& s : spec.shares) {
    if (!host.IsDirectory(s.host_dir)) {
      ThrowUsage(fmt::format("--share {}: no directory {} on the host", s.host_dir, s.host_dir));
    }
  }
  if (auto existing = FindJail(host, spec.name); existing && existing->partial.empty()) {
    ThrowUsage(fmt::format("jail \"{}\" exists already ({}); ljail destroy {} first", spec.name,
                           existing->config_file, spec.name));
  }
  if (templates.area_from_host_init && !storage.Exists("templates")) {
    ThrowFailure(fmt::format(
        "{} does not exist: run `ljail host init` first",
        settings.uses_zfs() ? settings.Dataset("templates") : settings.Dir("templates")));
  }

  // The Linux template: given by name, or built from distro:suite if missing.
  if (!spec.template_key.empty()) {
    std::optional<rootfs::TemplateInfo> t = rootfs::FindTemplate(host, storage, spec.template_key);
    if (!t || !t->complete || !t->manifest) {
      ThrowUsage(fmt::format(
          "--template {}: no complete Linux template of that name (ljail template list)",
          spec.template_key));
    }
    basis.template_name = spec.template_key;
    spec.distro = t->manifest->key.distro;
    spec.suite = t->manifest->key.suite;
  } else {
    rootfs::TemplateRequest request =
        rootfs::MakeTemplateRequest(host, settings, o.template_options, templates);
    basis.template_name = request.name;
    spec.distro = request.key.distro;
    spec.suite = request.key.suite;
    basis.template_steps = rootfs::TemplateBuildSteps(host, storage, request);
  }

  std::string template_tree = storage.Path("templates/" + basis.template_name);
  bool template_ready = std::all_of(basis.template_steps.begin(), basis.template_steps.end(),
                                    [](const host::Step& step) { return step.done; });
  CheckTreeSettings(host, o.setup, template_tree, template_ready, &basis);
  std::optional<TreeFs> tree = host.TreeIfExists(template_tree);
  for (const std::string& dir : MountPointsInTree(spec)) {
    if (std::string link = tree ? SymlinkOnTheWay(*tree, dir) : ""; !link.empty()) {
      ThrowUsage(fmt::format(
          "mount point {} would pass through the symbolic link {} of the {} tree: jail(8) "
          "refuses that (usr.sbin/jail/command.c); choose another directory",
          dir, link, spec.distro));
    }
  }
  return basis;
}

void PrepareLinuxTree(const host::Host& host, const JailSpec& spec, const std::string& tree_path) {
  TreeFs tree = host.Tree(tree_path);
  for (const std::string& dir : MountPointsInTree(spec)) {
    if (std::string link = SymlinkOnTheWay(tree, dir); !link.empty()) {
      ThrowFailure(
          fmt::format("mount point {}{} passes through the symbolic link {}{}: jail(8) would "
                      "refuse it; pick another directory",
                      tree_path, dir, tree_path, link));
    }
    tree.MakeDirectories(dir, dir == "/tmp" ? 01777 : 0755);
  }
  tree.WriteFile("/etc/hostname", spec.hostname + "\n");
  std::string hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
  std::string names = spec.hostname;
  if (size_t dot = spec.hostname.find('.'); dot != std::string::npos)
    names += " " + spec.hostname.substr(0, dot);
  if (spec.ip4.empty()) {
    hosts += fmt::format("127.0.1.1\t{}\n", names);
  } else {
    for (const std::string& a : spec.ip4)
      hosts += fmt::format("{}\t{}\n", a.substr(0, a.find('/')), names);
  }
  tree.WriteFile("/etc/hosts", hosts);
  // A regular file (WriteFile renames over a link, never writes through it),
  // not the host's link to a resolver stub that cannot exist inside; copy
  // refreshes it at every start.
  if (auto resolv = ResolvConfFor(ParseDnsMode(spec.dns), HostResolvConf(host)))
    tree.WriteFile("/etc/resolv.conf", *resolv);
  if (!spec.timezone.empty()) {
    // A link into the tree's own zoneinfo. A tree without tzdata (minbase)
    // gets the one zone file from the host: the same compiled tz database
    // format on FreeBSD and Linux; installing tzdata later replaces it.
    std::string zone_file = std::string(kHostZoneinfo) + "/" + spec.timezone;
    std::optional<std::string> host_zone =
        tree.Exists(zone_file) ? std::nullopt : host.ReadFile(zone_file);
    if (host_zone) {
      tree.MakeDirectories(zone_file.substr(0, zone_file.rfind('/')));
      tree.WriteFile(zone_file, *host_zone);
    }
    if (tree.Exists(zone_file)) tree.Symlink(zone_file, "/etc/localtime");
    tree.WriteFile("/etc/timezone", spec.timezone + "\n");
  }
}

bool TreePrepared(const host::Host& host, const JailSpec& spec, const std::string& tree_path) {
  std::optional<TreeFs> tree = host.TreeIfExists(tree_path);
  if (!tree) return false;
  for (const std::string& dir : MountPointsInTree(spec)) {
    if (!tree->IsDirectory(dir)) return false;
  }
  return tree->ReadFile("/etc/hostname").value_or("") == spec.hostname + "\n";
}

void AppendSteps(std::vector<host::Step> steps, const std::string& prefix, host::Plan* plan) {
  for (host::Step& s : steps) {
    s.title = prefix + s.title;
    plan->steps.push_back(std::move(s));
  }
}

namespace {

// The last step of every create: /etc/jail.conf.d/NAME.conf, generated.
// Written after the tree, so a jail exists for `list` only once its tree
// is whole.
host::Step ConfigStep(const JailConfInput& input) {
  const std::string& file = input.layout.config_file;
  host::Step conf{"jail config " + file, false, "", {}};
  conf.actions.push_back(
      host::Action::Custom("mkdir -p " + std::string(kJailConfD),
                           [](const host::Host& h) { h.MakeDirectories(kJailConfD); }));
  conf.actions.push_back(host::Action::Write(file, GenerateJailConf(input)));
  return conf;
}

// The jail's file, its tree's setup steps, and, when there are any, the
// step that marks the jail whole: until it ran, the file says
// $ljail_partial = "the create command", `list` shows the jail partial,
// and the same create run again finishes it (issue 13).
void AppendConfigAndSetup(JailConfInput input, const CreateBasis& basis,
                          const CreateOptions& options, host::Plan* plan) {
  if (!basis.setup_steps.empty()) input.partial = options.finish_command;
  plan->steps.push_back(ConfigStep(input));
  AppendSteps(basis.setup_steps, "", plan);
  if (input.partial.empty()) return;
  const std::string file = input.layout.config_file;
  const std::string name = input.spec.name;
  host::Step whole{
      "jail " + name + " whole: $" + std::string(kPartialVariable) + " removed from " + file,
      false,
      "",
      {}};
  whole.actions.push_back(
      host::Action::Custom("remove $" + std::string(kPartialVariable) + " from " + file,
                           [file, name](const host::Host& h) {
                             jailconf::ConfigDocument doc(file, h.ReadFile(file).value_or(""));
                             doc.RemoveVariable(name, kPartialVariable);
                             h.WriteFile(file, doc.text());
                           }));
  plan->steps.push_back(whole);
  plan->on_interrupt.push_back(StopJailAction(name, basis.control));
  plan->after_interrupt = fmt::format("{} is not finished (stopped, partial): {} finishes it", name,
                                      options.finish_command);
}

}  // namespace

host::Plan MakeCreatePlan(const host::Host& host, const Settings& settings,
                          const CreateOptions& options, CreateHooks& os) {
  CreateOptions checked = options;
  os.Check(checked);
  std::unique_ptr<host::Storage> storage = host::MakeStorage(host, settings);
  CreateBasis basis =
      PrepareCreate(host, settings, *storage, checked, os.Control(), os.Templates());
  host::Plan plan;
  AppendSteps(os.BeforeTemplate(basis.spec, *storage), "", &plan);
  JailLayout layout = MakeLayout(settings, basis.spec.name, os.LinuxDir(basis.spec));
  plan.title = os.Title(basis.spec, layout);
  AppendSteps(basis.template_steps, "template " + basis.template_name + ": ", &plan);
  AppendSteps(os.Tree(basis, layout, *storage), "", &plan);
  JailConfInput input{basis.spec, layout, basis.template_name, "", {}, "", nullptr};
  os.File(input);
  AppendConfigAndSetup(input, basis, options, &plan);
  AppendSteps(os.Notes(basis.spec), "", &plan);
  return plan;
}

}  // namespace ljail::jail
