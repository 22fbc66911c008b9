// What every verb gets: the global options, and where to write.
#pragma once

#include <iosfwd>
#include <string>

#include "core/root_fs.h"

namespace ljail::cli {

struct GlobalOptions {
  std::string root;  ///< --root: prefix for every host path
};

struct Context {
  GlobalOptions options;
  std::ostream* out;
  std::ostream* err;

  RootFs Root() const { return RootFs(options.root); }
};

}  // namespace ljail::cli
