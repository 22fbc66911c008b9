// ljail template build | list | info | rm: Linux userland templates.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/verbs.h"
#include "core/error.h"
#include "core/strings.h"
#include "host/settings.h"
#include "host/storage.h"
#include "jail/discovery.h"
#include "rootfs/template_plan.h"
#include "runtime/runtime.h"

namespace ljail::cli {
namespace {

using nlohmann::ordered_json;

std::vector<std::string> UsedBy(const host::Host& host, const std::string& name) {
  std::vector<std::string> jails;
  for (const jail::JailRecord& r : jail::DiscoverJails(host)) {
    if (r.template_name == name) jails.push_back(r.name);
  }
  return jails;
}

ordered_json TemplateJson(const rootfs::TemplateInfo& t, const std::vector<std::string>& used_by,
                          bool packages) {
  ordered_json j = {{"name", t.name},
                    {"complete", t.complete},
                    {"path", t.path},
                    {"dataset", t.dataset},
                    {"used_by", used_by}};
  if (t.manifest) {
    const rootfs::Manifest& m = *t.manifest;
    j["distro"] = m.key.distro;
    j["suite"] = m.key.suite;
    j["arch"] = m.key.arch;
    j["variant"] = m.key.variant;
    j["include"] = m.key.packages;
    j["mirror"] = m.key.mirror;
    j["os"] = m.pretty_name;
    j["source"] = m.source;
    j["created"] = m.created;
    j["package_count"] = m.packages.size();
    if (packages) {
      ordered_json p = ordered_json::object();
      for (const auto& pkg : m.packages) p[pkg.name] = pkg.version;
      j["packages"] = p;
    }
  }
  return j;
}

int Build(Context& c, const rootfs::TemplateOptions& options) {
  host::Host host = c.MakeHost();
  Settings settings = LoadHostSettings(host);
  rootfs::TemplateRequest request = rootfs::MakeTemplateRequest(
      host, settings, options, host::MakeRuntime(host)->TemplatePolicy());
  std::optional<host::HostLock> lock = c.LockHost(host);
  if (!request.check_gpg && request.tarball.empty()) {
    *c.err << "ljail: warning: --no-check-gpg: the archive's signatures will not be checked; "
              "anyone on the network path can change what gets installed\n";
  }
  std::unique_ptr<host::Storage> storage = host::MakeStorage(host, settings);
  if (request.os.area_from_host_init && !storage->Exists("templates")) {
    ThrowFailure(fmt::format(
        "{} does not exist: run `ljail host init` first",
        storage->Kind() == "zfs" ? storage->Dataset("templates") : storage->Path("templates")));
  }
  return c.Apply(rootfs::MakeTemplateBuildPlan(host, *storage, request), host);
}

int List(Context& c, bool json) {
  host::Host host = c.MakeHost();
  Settings settings = LoadHostSettings(host);
  std::unique_ptr<host::Storage> storage = host::MakeStorage(host, settings);
  std::vector<rootfs::TemplateInfo> templates = rootfs::ListTemplates(host, *storage);
  if (json) {
    ordered_json out = ordered_json::array();
    for (const auto& t : templates) out.push_back(TemplateJson(t, UsedBy(host, t.name), false));
    *c.out << out.dump(2) << "\n";
    return 0;
  }
  if (templates.empty()) {
    *c.out << "no Linux templates yet: ljail template build debian:bookworm\n";
    return 0;
  }
  *c.out << fmt::format("{:<44} {:<8} {:<9} {:<8} {}\n", "TEMPLATE", "STATE", "PACKAGES", "JAILS",
                        "OS");
  for (const auto& t : templates) {
    *c.out << fmt::format("{:<44} {:<8} {:<9} {:<8} {}\n", t.name, t.complete ? "ready" : "partial",
                          t.manifest ? std::to_string(t.manifest->packages.size()) : "-",
                          UsedBy(host, t.name).size(), t.manifest ? t.manifest->pretty_name : "");
  }
  return 0;
}

int Info(Context& c, const std::string& name, bool json) {
  host::Host host = c.MakeHost();
  Settings settings = LoadHostSettings(host);
  std::unique_ptr<host::Storage> storage = host::MakeStorage(host, settings);
  std::optional<rootfs::TemplateInfo> t = rootfs::FindTemplate(host, *storage, name);
  if (!t) ThrowUsage(fmt::format("no Linux template \"{}\" (ljail template list)", name));
  ordered_json j = TemplateJson(*t, UsedBy(host, name), true);
  if (json) {
    *c.out << j.dump(2) << "\n";
    return 0;
  }
  for (const auto& [key, value] : j.items()) {
    if (key == "packages") continue;
    *c.out << fmt::format("{:<14} {}\n", key + ":",
                          value.is_string() ? value.get<std::string>() : value.dump());
  }
  return 0;
}

int Remove(Context& c, const std::string& name) {
  host::Host host = c.MakeHost();
  Settings settings = LoadHostSettings(host);
  std::unique_ptr<host::Storage> storage = host::MakeStorage(host, settings);
  if (!rootfs::FindTemplate(host, *storage, name)) {
    ThrowUsage(fmt::format("no Linux template \"{}\" (ljail template list)", name));
  }
  std::optional<host::HostLock> lock = c.LockHost(host);
  std::vector<std::string> users = UsedBy(host, name);
  if (!users.empty()) {
    std::string list;
    for (const std::string& u : users) list += (list.empty() ? "" : ", ") + u;
    ThrowFailure(fmt::format("template {} is used by {}: destroy {} first", name, list,
                             users.size() == 1 ? "that jail" : "those jails"));
  }
  host::Plan plan;
  plan.title = "remove Linux template " + name;
  host::Step data{"template storage " + name, false, "", {storage->Destroy("templates/" + name)}};
  std::string manifest = rootfs::ManifestPath(host, name);
  host::Step record{"manifest " + manifest,
                    false,
                    "",
                    {host::Action::Custom("rm " + manifest, [manifest](const host::Host& h) {
                      h.RemoveFile(manifest);
                    })}};
  plan.steps = {data, record};
  return c.Apply(plan, host);
}

}  // namespace

void AddTemplateVerbs(Command app, Action* action) {
  Command group =
      app.AddSubcommand("template", "Linux userland templates (debootstrap once, clone many)");
  group.RequireSubcommand(1);

  auto options = std::make_shared<rootfs::TemplateOptions>();
  auto include = std::make_shared<std::string>();
  Command build = group.AddSubcommand(
      "build", "Build the template of DISTRO:SUITE (debian:bookworm, ubuntu:noble...)");
  build.AddOption("distro_suite", options->distro_suite, "DISTRO:SUITE").Required();
  build.AddOption("--arch", options->arch, "amd64 or arm64 (default: the host's)");
  build.AddOption("--variant", options->variant, "minbase (default), buildd or default");
  build.AddOption("--include", *include, "Extra packages, comma-separated").TypeName("PKG,...");
  build.AddOption("--mirror", options->mirror, "Archive URL (default: the settings' mirror)")
      .TypeName("URL");
  build
      .AddOption("--from-tarball", options->tarball,
                 "Import this rootfs tarball instead of bootstrapping")
      .TypeName("FILE");
  build
      .AddOption("--keyring", options->keyring,
                 "Archive keyring (default: the distro's, installed)")
      .TypeName("FILE");
  build.AddFlag("--no-check-gpg", options->no_check_gpg,
                "Do not check the archive's signatures (not recommended)");
  build.Callback([=] {
    *action = [=](Context& c) {
      rootfs::TemplateOptions o = *options;
      if (!include->empty()) o.include = Split(*include, ',');
      return Build(c, o);
    };
  });

  auto json = std::make_shared<bool>(false);
  Command list = group.AddSubcommand("list", "List Linux templates");
  list.AddFlag("--json", *json, "Print as JSON");
  list.Callback([=] { *action = [=](Context& c) { return List(c, *json); }; });

  auto name = std::make_shared<std::string>();
  auto info_json = std::make_shared<bool>(false);
  Command info =
      group.AddSubcommand("info", "Show a template: key, packages, tools, jails using it");
  info.AddOption("name", *name, "Template name (ljail template list)").Required();
  info.AddFlag("--json", *info_json, "Print as JSON (with every package and its version)");
  info.Callback([=] { *action = [=](Context& c) { return Info(c, *name, *info_json); }; });

  auto rm_name = std::make_shared<std::string>();
  Command rm = group.AddSubcommand("rm", "Remove a template no jail uses");
  rm.AddOption("name", *rm_name, "Template name").Required();
  rm.Callback([=] { *action = [=](Context& c) { return Remove(c, *rm_name); }; });
}

}  // namespace ljail::cli
