#include "daemon/i18n.h"

#include <libintl.h>

#include <atomic>
#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace rosterd::daemon {

namespace {

constexpr const char* domain = "rosterd";
std::atomic<Language> current{Language::ru};

// The catalog lies beside the binary as it does once installed: <prefix>/bin/rosterd and
// <prefix>/share/locale/ru/LC_MESSAGES/rosterd.mo; the build tree has the same shape.
// ROSTERD_LOCALEDIR overrides it.
std::string find_catalog_dir() {
  if (const char* dir = std::getenv("ROSTERD_LOCALEDIR"); dir && *dir) return dir;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto dir = exe.parent_path().parent_path() / "share" / "locale";
    if (std::filesystem::exists(dir / "ru" / "LC_MESSAGES" / "rosterd.mo", ec)) return dir;
  }
  return ROSTERD_LOCALEDIR;  // the install prefix's, compiled in
}

// gettext finds a catalog only for a locale other than "C"; C.UTF-8 is built into glibc, so
// Russian works on a machine without a generated ru_RU locale. LANGUAGE names the catalog.
void bind_catalog() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::setlocale(LC_MESSAGES, "C.UTF-8");
    ::setenv("LANGUAGE", "ru", 1);
    bindtextdomain(domain, find_catalog_dir().c_str());
    bind_textdomain_codeset(domain, "UTF-8");
  });
}

// gettext looks a message with a context up as "context\x04msgid".
// Not in the catalog, gettext hands back its own argument: then the English text (a view into
// the message, which outlives the rendering) is the wording.
std::string_view russian(const mapping::MessageKey& key) {
  std::string buffer{key.code};
  buffer += '\x04';
  buffer += key.english;
  std::string plural;
  const char* found = nullptr;
  if (key.english_plural.empty()) {
    found = dgettext(domain, buffer.c_str());
  } else {
    plural.assign(key.english_plural);
    found = dngettext(domain, buffer.c_str(), plural.c_str(), static_cast<unsigned long>(key.n));
  }
  if (found == buffer.c_str()) return key.english;
  if (found == plural.c_str()) return key.english_plural;
  return found;
}

}  // namespace

std::optional<Language> parse_language(std::string_view s) noexcept {
  if (s == "ru") return Language::ru;
  if (s == "en") return Language::en;
  return std::nullopt;
}

std::string_view name(Language language) noexcept {
  return language == Language::ru ? "ru" : "en";
}

void set_language(Language language) { current = language; }
Language language() noexcept { return current; }

std::string text(std::string_view text) {
  if (current == Language::en || !mapping::has_message(text)) return mapping::english(text);
  bind_catalog();
  return mapping::render(text, russian);
}

std::string tr(std::string_view code, std::string_view english,
               std::initializer_list<mapping::MessageArg> args) {
  return text(mapping::msg(code, english, args));
}

std::string tr_n(std::string_view code, std::string_view english, std::string_view english_plural,
                 long long n, std::initializer_list<mapping::MessageArg> args) {
  return text(mapping::msg_n(code, english, english_plural, n, args));
}

std::string catalog_dir() { return find_catalog_dir(); }

}  // namespace rosterd::daemon
