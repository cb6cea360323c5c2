#pragma once
// Untrusted text stays text. Names come from the journal as any bytes: a newline, an escape
// sequence or a right-to-left override in a name must not forge a line of the plan an
// administrator approves, clear their terminal, or reach a chat title on the platform. A phone
// number put in an id column must not be quoted wherever the id is.

#include <cstddef>
#include <string>
#include <string_view>

namespace rosterd::mapping {

// A name longer than this (in Unicode code points) is a record error: it is cut to this length.
inline constexpr std::size_t longest_name = 256;
// The platform's limit for a chat title, in code points.
inline constexpr std::size_t longest_title = 128;

// Appends `text` cleaned: invalid UTF-8 dropped; C0 and C1 controls, DEL, bidirectional
// formatting characters (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069) dropped; line breaks,
// tabs and U+2028/U+2029 read as spaces; runs of spaces collapsed to one and the ends trimmed;
// then cut on a code-point boundary to at most `max_code_points`.
void append_clean_text(std::string& out, std::string_view text,
                       std::size_t max_code_points = longest_name);
[[nodiscard]] std::string clean_text(std::string_view text,
                                     std::size_t max_code_points = longest_name);

// What is wrong with a name as the journal gave it. Extra spaces are not a flaw.
struct NameFlaws {
  bool controls = false;  // control or formatting characters, or invalid UTF-8
  bool too_long = false;  // more than longest_name code points
  [[nodiscard]] bool any() const noexcept { return controls || too_long; }
};
[[nodiscard]] NameFlaws name_flaws(std::string_view name) noexcept;

// Code points in valid UTF-8 (each invalid byte counts as one).
[[nodiscard]] std::size_t count_code_points(std::string_view text) noexcept;

// Text for one line of output: every control character, line separator, bidirectional
// formatting character and invalid byte shown as an escape ("\n", "\x1b", "\u{202e}"), so data
// cannot start a new line or drive a terminal. Everything else is kept.
[[nodiscard]] std::string printable(std::string_view text);
// Text of several lines (an error listing its problems, one a line): each line printable, the
// line breaks kept.
[[nodiscard]] std::string printable_lines(std::string_view text);

// Whether an id from the input looks like a phone number or an e-mail address (somebody put a
// contact in an id column).
[[nodiscard]] bool looks_like_contact(std::string_view id) noexcept;

// An id as an error or a finding may quote it: printable, cut after 64 characters, and never a
// contact: "<id that looks like a phone number>", "<id that looks like an e-mail>".
[[nodiscard]] std::string quote_id(std::string_view id);

// Text folded for comparing names and titles as people write them: cleaned (clean_text),
// lower case (Latin and Cyrillic), ё as е, hyphens, dashes, quotes and dots as spaces, spaces
// collapsed: "Родители 5-А «класса»" and "родители 5 а класса" fold alike.
[[nodiscard]] std::string fold_text(std::string_view text);

// Names in the order people count them: numbers by value, the rest as fold_text folds it, so
// classes read 1А, 1Б, 2А … 10А, 11А (not 10А before 1А), and ё sorts with е.
[[nodiscard]] bool natural_less(std::string_view a, std::string_view b);

}  // namespace rosterd::mapping
