#pragma once
// Internal to the status pages (status_page.cpp, school_page.cpp): what both pages share —
// the stylesheet, the document's head, and how a result, a time or a figure reads.

#include <optional>
#include <string>
#include <string_view>

#include "daemon/observability.h"

namespace rosterd::daemon::status_html {

// "<!DOCTYPE html>…<body>": the language, the title (escaped here) and the stylesheet.
void page_start(std::string& out, std::string_view title, bool refresh);
// The footer with when the page was made and the links to the machine-readable endpoints
// (`root` leads back to the main page: "" from it, "../" from a school's page).
void page_end(std::string& out, const std::string& generated_at, std::string_view root);

// The result in words ("Синхронизировано"); "never run" for nullopt.
[[nodiscard]] std::string result_label(std::optional<mapping::CycleResult> result);
// A badge: the result in words, its code small beside it.
[[nodiscard]] std::string result_badge(std::optional<mapping::CycleResult> result);
// What an action does, in words ("создать чат"), by the type's name.
[[nodiscard]] std::string action_label(std::string_view type);

// "2026-11-20T12:00:05Z" → "2026-11-20 12:00:05 UTC", escaped; empty → a dash.
[[nodiscard]] std::string show_time(const std::string& iso);
// "2026-11-20T12:00:05Z" → "2026-11-20 12:00": the table's short form (its heading says UTC).
[[nodiscard]] std::string short_time(const std::string& iso);
[[nodiscard]] std::string show_duration(double seconds);
// "5 из 12" active of managed chats; "—" before the first look at the platform.
[[nodiscard]] std::string active_chats(const std::optional<mapping::SchoolNumbers>& n);
// "86 % (130 из 150)": whole percents rounded down, so 100 % means everybody is in.
[[nodiscard]] std::string coverage(const std::optional<mapping::SchoolNumbers>& n);
[[nodiscard]] unsigned coverage_percent(const mapping::SchoolNumbers& n);

// <dt>term</dt><dd class=css>value</dd>; `value` is HTML already.
void fact(std::string& out, std::string_view term, const std::string& value,
          std::string_view css = {});

// The end of a school's facts, as both pages show it: failures in a row and quarantine, the
// list closed, then the last error (cut to `error_limit` bytes; 0: whole).
void failure_facts(std::string& out, const SchoolStatus& s, std::size_t error_limit);

// Text that came from elsewhere (an error, a finding, a reason), worded in the reader's
// language (daemon::text) and escaped; cut to `limit` bytes (at a character) with "…".
[[nodiscard]] std::string shown(std::string_view text, std::size_t limit = 0);

}  // namespace rosterd::daemon::status_html
