// journal-sim: the journal contract on 127.0.0.1, serving generated export folders, with
// ETags, cursor paging, movement on demand and injected faults.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "sim/journal/run.h"

int main(int argc, char** argv) {
  rosterd::sim::journal::Options options;
  std::string day;
  CLI::App app{"journal-sim: a simulated electronic journal (the rosterd journal contract)"};
  app.add_option("--port", options.port, "TCP port on 127.0.0.1; 0 picks a free one")
      ->required()
      ->check(CLI::Range(0, 65535));
  app.add_option("--data", options.data_dir, "folder of <org-id>/ export folders (rosterd-gen)")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--token-file", options.token_file, "school tokens, one 'TOKEN ORG_ID' a line")
      ->check(CLI::ExistingFile);
  app.add_option("--regional-token-file", options.regional_token_file,
                 "one token that sees every organisation")
      ->check(CLI::ExistingFile);
  app.add_option("--seed", options.seed, "seed of the generated movement")->capture_default_str();
  app.add_option("--page-size", options.page_size, "default limit of a page")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--day", day, "the day the data describes, YYYY-MM-DD (default 2026-09-01)");
  app.add_flag("--verbose", options.verbose, "one line per data request on stderr");
  CLI11_PARSE(app, argc, argv);

  if (!day.empty()) {
    const auto parsed = rosterd::mapping::Date::parse(day);
    if (!parsed) {
      std::fprintf(stderr, "journal-sim: --day must be a date YYYY-MM-DD\n");
      return 2;
    }
    options.day = *parsed;
  }
  return rosterd::sim::journal::serve(options);
}
