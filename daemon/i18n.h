#pragma once
// The reader's language. What a person reads (plans, reports, the status page, the CLI's
// questions) is Russian unless `--lang en` or the config's `language` says English; logs,
// metrics and JSON keys are English whatever it is. Messages come from the GNU gettext catalog
// built from po/ (docs/i18n.md): the English text is the msgid, the message's code its context.

#include <optional>
#include <string>
#include <string_view>

#include "mapping/message.h"

namespace rosterd::daemon {

enum class Language { ru, en };

[[nodiscard]] std::optional<Language> parse_language(std::string_view s) noexcept;
[[nodiscard]] std::string_view name(Language language) noexcept;

// The process's language, set once at start (before threads): Russian by default.
void set_language(Language language);
[[nodiscard]] Language language() noexcept;

// `text` (plain, or holding messages from mapping::msg) in the process's language.
[[nodiscard]] std::string text(std::string_view text);
// A message in the process's language, made and worded at once: for what the daemon says
// itself (tr("status.title", "Schools")).
[[nodiscard]] std::string tr(std::string_view code, std::string_view english,
                             std::initializer_list<mapping::MessageArg> args = {});
[[nodiscard]] std::string tr_n(std::string_view code, std::string_view english,
                               std::string_view english_plural, long long n,
                               std::initializer_list<mapping::MessageArg> args = {});

// Where the catalog was looked for (for an error that says why Russian is missing).
[[nodiscard]] std::string catalog_dir();

}  // namespace rosterd::daemon
