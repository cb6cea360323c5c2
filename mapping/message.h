#pragma once
// Text a person reads, kept as data until it is shown. The core does not know who reads a plan:
// an administrator in Russian, a log in English, a program in JSON. So a reason or a finding is
// a message: a stable code, its English text with {named} placeholders, and the values. The
// daemon shows it in the reader's language through the catalog (po/, docs/i18n.md); the core
// and the logs show it in English.
//
// A message travels as one string, so every field, log and store column that carried text
// carries messages unchanged:
//   \x01 code \x1f english [\x1e english_plural] (\x1f name \x1d value)* \x04
// A value may itself be a message (nested), or plain text. Text outside \x01…\x04 is plain and
// shows as it is, so what the store kept before messages existed still reads.
//
// The code is the catalog's context (msgctxt) and the English text its msgid: xgettext finds
// every message by the keywords msg and msg_n, so the catalog can be checked for completeness.

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace rosterd::mapping {

// A value is a view: the text it shows (a temporary string too) lives until the end of the call
// that makes the message, which copies it. A first plan makes thousands of reasons; a copy of
// every value on the way cost a third of the time of the diff.
struct MessageArg {
  std::string_view name;
  std::string_view value;  // plain text or a message
};

// A message: msg("diff.no_chat_yet", "no {kind} chat for {group} yet", {{"kind", k}, {"group", g}}).
// Code and English text are string literals (the catalog is built from them).
[[nodiscard]] std::string msg(std::string_view code, std::string_view english,
                              std::initializer_list<MessageArg> args = {});
// A message whose wording follows the count {n}: msg_n(code, "{n} student", "{n} students", n).
[[nodiscard]] std::string msg_n(std::string_view code, std::string_view english,
                                std::string_view english_plural, long long n,
                                std::initializer_list<MessageArg> args = {});
// Appends a message to `out` (for reasons built by the thousand without a temporary each).
void append_msg(std::string& out, std::string_view code, std::string_view english,
                std::initializer_list<MessageArg> args = {});

// Whether `text` holds a message anywhere (otherwise it is plain).
[[nodiscard]] bool has_message(std::string_view text) noexcept;
// The code of the message `text` starts with ("" for plain text): what JSON carries as a key.
[[nodiscard]] std::string_view message_code(std::string_view text) noexcept;

// The wording of one message in the reader's language, with its {placeholders} still in it.
// plural is empty for a message without a count.
struct MessageKey {
  std::string_view code;
  std::string_view english;
  std::string_view english_plural;
  long long n = 0;
};
using Translate = std::function<std::string_view(const MessageKey&)>;

// `text` as a person reads it: each message worded by `translate` and its placeholders filled
// (nested messages first); plain text as it is. A placeholder without a value stays as written.
[[nodiscard]] std::string render(std::string_view text, const Translate& translate);
// `text` in English (the catalog's msgids): for logs, errors and tests of the core.
[[nodiscard]] std::string english(std::string_view text);

}  // namespace rosterd::mapping
