#include "mapping/adoption.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "mapping/message.h"
#include "mapping/text.h"
#include "mapping/wording.h"

namespace rosterd::mapping {
namespace {

// ---- Titles as people write them ------------------------------------------------------------

// The next code point of `s` at `at`; a byte that starts no sequence reads as a separator.
char32_t next_code_point(std::string_view s, std::size_t& at) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned lead = byte(at);
  std::size_t size = lead < 0x80             ? 1
                     : (lead & 0xE0) == 0xC0 ? 2
                     : (lead & 0xF0) == 0xE0 ? 3
                     : (lead & 0xF8) == 0xF0 ? 4
                                             : 0;
  if (size == 0 || at + size > s.size()) return ++at, U' ';
  char32_t cp = size == 1 ? lead : lead & (0x7F >> size);
  for (std::size_t i = 1; i < size; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return ++at, U' ';
    cp = (cp << 6) | (byte(at + i) & 0x3F);
  }
  at += size;
  return cp;
}

// Letters and digits of the scripts titles are written in; everything else (spaces, «»"—-·.,
// №, emoji) separates words, so "5-А", "5 А" and "«5А»" read alike.
bool is_word(char32_t cp) noexcept {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
         (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x386 && cp <= 0x3FF) ||
         (cp >= 0x400 && cp <= 0x52F);
}

// Lower case, and ё as е (people write either).
char32_t fold(char32_t cp) noexcept {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE) || (cp >= 0x410 && cp <= 0x42F))
    cp += 0x20;
  else if (cp >= 0x400 && cp <= 0x40F)
    cp += 0x50;
  else if (cp >= 0x391 && cp <= 0x3AB)
    cp += 0x20;
  return cp == 0x451 ? char32_t{0x435} : cp;
}

// A Latin letter typed for the Cyrillic one it looks like ("5A" for "5А", "5B" for "5В"),
// after folding.
char32_t cyrillic_look(char32_t cp) noexcept {
  static constexpr std::u32string_view latin = U"abcehkmoptxy", cyrillic = U"авсенкмортху";
  const auto at = latin.find(cp);
  return at == std::u32string_view::npos ? cp : cyrillic[at];
}

using Words = std::vector<std::u32string>;

// The title's words folded; `shape`: with Latin look-alikes read as Cyrillic too, for
// comparing names and titles (a stem such as "parent" is looked for in the plain words).
Words words_of(std::string_view text, bool shape = true) {
  Words words(1);
  for (std::size_t at = 0; at < text.size();) {
    const char32_t cp = next_code_point(text, at);
    if (is_word(cp)) {
      words.back() += shape ? cyrillic_look(fold(cp)) : fold(cp);
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

std::u32string joined(const Words& words, std::u32string_view between) {
  std::u32string out;
  for (const auto& w : words) (out.empty() ? out : out.append(between)).append(w);
  return out;
}

bool has_word_starting(const Words& words, std::initializer_list<std::u32string_view> stems) {
  return std::ranges::any_of(words, [&](const std::u32string& w) {
    return std::ranges::any_of(stems, [&](std::u32string_view s) { return w.starts_with(s); });
  });
}

// Whether consecutive words of the title spell the group's name: "5А" is named by "5А",
// "5-А" and "5 А", not by "15А" or "5Б".
bool spells(const Words& words, const std::u32string& name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::u32string s;
    for (std::size_t j = i; j < words.size() && s.size() < name.size(); ++j) {
      s += words[j];
      if (s == name) return true;
    }
  }
  return false;
}

struct TitleFacts {
  Words words;            // shaped
  std::u32string normal;  // the words joined by one space: what "the same title" compares
  bool parents = false;
  bool staff = false;
};

TitleFacts facts_of(std::string_view title) {
  TitleFacts f;
  f.words = words_of(title);
  f.normal = joined(f.words, U" ");
  const Words plain = words_of(title, false);
  f.parents = has_word_starting(plain, {U"родител", U"parent"});
  f.staff = has_word_starting(plain, {U"учител", U"педагог", U"сотрудник", U"staff"});
  return f;
}

// A desired chat without an applied one, with what its title and group name read as.
struct Wanted {
  const DesiredChat* chat = nullptr;
  std::u32string normal_title;
  std::u32string name;                   // the group's name without spaces, for `spells`
  std::vector<std::u32string> groups{};  // the staff chat: the names of every group
};

std::u32string group_name(const DesiredChat& chat) {
  return joined(words_of(chat.group_name), U"");
}

// The title names the wanted chat's group, kind aside. The staff chat's group is the whole
// organisation: a staff word names it, unless the title names a group ("Учителя 5А").
bool names_group(const Wanted& w, const TitleFacts& f) {
  if (w.chat->kind != ChatKind::staff) return spells(f.words, w.name);
  return f.staff &&
         std::ranges::none_of(w.groups, [&](const auto& g) { return spells(f.words, g); });
}

// A parents' word makes a parents' chat, and its absence a class (or association) chat: "5А
// с классным руководителем" is a class chat. The staff chat is never a parents' chat.
bool kind_fits(const Wanted& w, const TitleFacts& f) {
  return w.chat->kind == ChatKind::parents ? f.parents : !f.parents;
}

// ---- Candidates and evidence ----------------------------------------------------------------

// A live chat of the listing that no school is bound to.
struct Seen {
  const PlatformChat* chat = nullptr;
  TitleFacts title;
  const ChatMembers* members = nullptr;  // nullptr: not read
  std::vector<PlatformUserId> ids{};     // its members' accounts, sorted
};

// Of the wanted chat's people with a platform account (the token's own user aside), how many
// are in the candidate. Unknown when none has an account or the members were not read.
struct Overlap {
  std::size_t in = 0;
  std::size_t expected = 0;
  bool read = false;
  [[nodiscard]] bool known() const noexcept { return read && expected > 0; }
  [[nodiscard]] bool weak() const noexcept { return known() && in * 2 < expected; }
  [[nodiscard]] bool strong() const noexcept { return known() && in * 5 >= expected * 4; }
};

Overlap overlap(const DesiredChat& d, const Seen& s, PlatformUserId self) {
  Overlap o;
  o.read = s.members != nullptr;
  for (const auto& m : d.members) {
    if (!m.platform_user_id || *m.platform_user_id == self) continue;
    ++o.expected;
    if (std::ranges::binary_search(s.ids, *m.platform_user_id)) ++o.in;
  }
  return o;
}

// The levels of evidence, strongest first. Only the strongest level with a candidate counts.
enum class Level : std::uint8_t { exact, platform_named, other_named, strong_overlap, none };

struct Evidence {
  const Seen* seen = nullptr;
  Level level = Level::none;
  Overlap overlap;
};

Evidence evidence(const Wanted& w, const Seen& s, PlatformUserId self) {
  Evidence e{&s, Level::none, overlap(*w.chat, s, self)};
  if (!w.normal_title.empty() && s.title.normal == w.normal_title) {
    e.level = Level::exact;
  } else if (names_group(w, s.title) && kind_fits(w, s.title)) {
    e.level = s.chat->created_by == 0 ? Level::platform_named : Level::other_named;
  } else if (e.overlap.strong()) {
    e.level = Level::strong_overlap;
  }
  return e;
}

// A title as a message may show it: one line, and a phone number or an e-mail address in it
// (somebody named a chat after a contact) is not repeated.
std::string shown(std::string_view t) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto in_number = [&](char c) {
    return digit(c) || std::string_view("+-.() ").find(c) != std::string_view::npos;
  };
  std::string out;
  for (std::size_t at = 0; at < t.size();) {
    if (t[at] == ' ') {
      out += t[at++];
      continue;
    }
    std::size_t end = at;
    if (digit(t[at]) || t[at] == '+') {  // "+7 999 123-45-67": a number written in groups
      while (end < t.size() && in_number(t[end])) ++end;
      while (t[end - 1] == ' ') --end;
    } else {
      end = std::min(t.find(' ', at), t.size());
    }
    const auto part = t.substr(at, end - at);
    out += looks_like_contact(part) ? std::string("<contact>") : std::string(part);
    at = end;
  }
  return "«" + printable(out) + "»";
}

std::string describe_chat(const Seen& s, PlatformUserId self) {
  const auto by = s.chat->created_by;
  const std::string title = shown(s.chat->title), id = std::to_string(s.chat->chat_id);
  if (by == 0)
    return msg("adoption.chat_by_platform", "{title} (chat {id}, made by the platform)",
               {{"title", title}, {"id", id}});
  if (by == self)
    return msg("adoption.chat_by_self", "{title} (chat {id}, made by this token's user)",
               {{"title", title}, {"id", id}});
  return msg("adoption.chat_by_user", "{title} (chat {id}, made by user {user})",
             {{"title", title}, {"id", id}, {"user", std::to_string(by)}});
}

std::string describe_title(const Wanted& w, const Evidence& e) {
  const std::string group = printable(w.chat->group_name);
  switch (e.level) {
    case Level::exact: return msg("adoption.title_exact", "title is the configured one");
    case Level::platform_named:
    case Level::other_named:
      return msg("adoption.title_names", "title names {group}", {{"group", group}});
    case Level::strong_overlap:
      return names_group(w, e.seen->title)
                 ? msg("adoption.title_names_other_kind",
                       "title names {group} for another kind of chat", {{"group", group}})
                 : msg("adoption.title_not_naming", "title does not name {group}",
                       {{"group", group}});
    case Level::none: break;
  }
  return {};
}

std::string describe_evidence(const Wanted& w, const Evidence& e) {
  const Overlap& o = e.overlap;
  const std::string members =
      !o.read ? msg("adoption.members_not_read", "its members were not read")
      : o.expected == 0
          ? msg("adoption.no_member_linked",
                "none of the expected members has a platform account yet")
          : msg_n("adoption.members_in", "{in} of {n} expected member are in it",
                  "{in} of {n} expected members are in it", static_cast<long long>(o.expected),
                  {{"in", std::to_string(o.in)}});
  return msg("adoption.evidence", "{title}, {members}",
             {{"title", describe_title(w, e)}, {"members", members}});
}

// ---- Decisions ------------------------------------------------------------------------------

// What is decided for one wanted chat.
struct Verdict {
  enum Kind : std::uint8_t { nothing, clear, unclear } kind = nothing;
  const Seen* chosen = nullptr;  // clear
  std::vector<ChatId> chats;     // unclear: the chats it names
  std::string text;              // clear: the reason; unclear: what keeps it open
};

Verdict clear(const Seen& s, std::string reason) {
  return {Verdict::clear, &s, {}, reason};
}

Verdict unclear(const std::vector<Evidence>& found, const Wanted& w, PlatformUserId self,
                const std::string& why) {
  Verdict v{Verdict::unclear, nullptr, {}, {}};
  std::string chats;
  for (const auto& e : found) {
    v.chats.push_back(e.seen->chat->chat_id);
    if (!chats.empty()) chats += "; ";
    append_msg(chats, "adoption.candidate", "{chat}, {evidence}",
               {{"chat", describe_chat(*e.seen, self)}, {"evidence", describe_evidence(w, e)}});
  }
  v.text = msg("adoption.unclear", "may already have a chat: {why}: {chats}",
               {{"why", why}, {"chats", chats}});
  return v;
}

// Only the strongest level of evidence with a candidate counts: a platform chat that names the
// group is adopted even when a teacher's chat names it too.
Verdict decide(const Wanted& w, const std::vector<const Seen*>& open, PlatformUserId self) {
  std::array<std::vector<Evidence>, 4> by_level;
  for (const Seen* s : open) {
    const Evidence e = evidence(w, *s, self);
    if (e.level != Level::none) by_level[static_cast<std::size_t>(e.level)].push_back(e);
  }
  const auto best = std::ranges::find_if(by_level, [](const auto& v) { return !v.empty(); });
  if (best == by_level.end()) return {};
  const std::vector<Evidence>& found = *best;
  const std::string name = printable(w.chat->group_name);
  switch (found.front().level) {
    case Level::other_named:
      return unclear(found, w, self,
                     msg("adoption.named_by_person",
                         "a chat that names {group} was made by a person, not by the platform, "
                         "and its title is not the configured one",
                         {{"group", name}}));
    case Level::strong_overlap:
      return unclear(found, w, self,
                     msg("adoption.members_elsewhere",
                         "most of the expected members are in a chat whose title does not name "
                         "{group} (it may be a subject chat)",
                         {{"group", name}}));
    default: break;
  }
  if (found.size() > 1)
    return unclear(found, w, self,
                   msg("adoption.several_chats", "more than one chat could be it"));
  const Evidence& e = found.front();
  if (e.overlap.weak()) {
    return unclear(found, w, self,
                   msg("adoption.few_members", "fewer than half of the expected members are in it"));
  }
  return clear(*e.seen, msg("adoption.clear", "existing chat {chat}: {evidence}",
                            {{"chat", describe_chat(*e.seen, self)},
                             {"evidence", describe_evidence(w, e)}}));
}

// ---- The school's chats ---------------------------------------------------------------------

// The desired chats without a chat: none of their key, nor last year's that the new academic
// year carries over (the diff rebinds it).
std::vector<Wanted> wanted_chats(const DesiredState& desired, const AppliedState& applied) {
  std::set<std::string_view> have;
  for (const auto& c : applied.chats) have.insert(c.key);
  std::vector<std::u32string> groups;
  for (const auto& c : desired.chats) {
    if (c.kind != ChatKind::staff) groups.push_back(group_name(c));
  }
  std::vector<Wanted> out;
  for (const auto& c : desired.chats) {
    if (have.contains(c.key) || (c.previous_key && have.contains(*c.previous_key))) continue;
    out.push_back({&c, joined(words_of(c.title), U" "), group_name(c)});
    if (c.kind == ChatKind::staff) out.back().groups = groups;
  }
  return out;
}

// Chats no adoption may take: bound to any school of the store, or to one of this school's.
bool bound_already(ChatId id, const std::set<ChatId>& bound, const AppliedState& applied) {
  return bound.contains(id) ||
         std::ranges::any_of(applied.chats, [&](const AppliedChat& c) { return c.chat_id == id; });
}

std::vector<Seen> open_chats(const AdoptionInput& in) {
  std::vector<Seen> out;
  for (const auto& c : in.listing) {
    if (c.archived || bound_already(c.chat_id, in.bound, in.applied)) continue;
    const auto read = std::ranges::find(in.members, c.chat_id, &ChatMembers::chat_id);
    if (read != in.members.end() && !read->exists) continue;  // gone since the listing
    Seen& s = out.emplace_back(Seen{&c, facts_of(c.title)});
    if (read == in.members.end()) continue;
    s.members = &*read;
    for (const auto& m : read->members) s.ids.push_back(m.user_id);
    std::ranges::sort(s.ids);
  }
  return out;
}

// A binding in the config wins outright, when its chat can be taken.
Verdict bound_in_config(const AdoptionInput& in, const std::vector<Seen>& seen, ChatId id,
                        const std::vector<std::string_view>& keys_bound_to_it) {
  const auto listed = std::ranges::find(in.listing, id, &PlatformChat::chat_id);
  const auto open =
      std::ranges::find_if(seen, [&](const Seen& s) { return s.chat->chat_id == id; });
  std::string problem;
  if (keys_bound_to_it.size() > 1) {
    problem = msg("adoption.bound_twice", "is bound there to more than one chat key");
  } else if (listed == in.listing.end()) {
    problem = msg("adoption.bound_not_listed", "is not among the organisation's chats");
  } else if (listed->archived) {
    problem = msg("adoption.bound_archived", "is archived");
  } else if (bound_already(id, in.bound, in.applied)) {
    problem = msg("adoption.bound_taken", "is already the chat of a school of the store");
  } else if (open == seen.end()) {
    problem = msg("adoption.bound_gone", "is gone from the platform");
  }
  const std::string chat =
      listed == in.listing.end()
          ? msg("adoption.chat_id", "chat {id}", {{"id", std::to_string(id)}})
          : msg("adoption.chat_id_title", "chat {id} {title}",
                {{"id", std::to_string(id)}, {"title", shown(listed->title)}});
  if (!problem.empty()) {
    return {Verdict::unclear,
            nullptr,
            {id},
            msg("adoption.bound_unusable", "is bound in the config to {chat}, which {problem}",
                {{"chat", chat}, {"problem", problem}})};
  }
  return clear(*open, msg("adoption.bound", "bound in the config to {chat}", {{"chat", chat}}));
}

// Clear matches are adopted, one chat to one key; a chat that is the clear match of two keys
// is adopted by neither. Adopting a chat can settle another key that had it as a rival, so the
// keys left are decided again until nothing more is adopted.
void settle_matches(const AdoptionInput& in, const std::vector<Wanted>& wanted,
                    const std::vector<Seen>& seen, std::vector<Verdict>& verdicts,
                    std::set<ChatId>& taken, std::vector<std::size_t> pending) {
  while (!pending.empty()) {
    std::vector<const Seen*> open;
    for (const auto& s : seen) {
      if (!taken.contains(s.chat->chat_id)) open.push_back(&s);
    }
    std::map<ChatId, std::vector<std::string_view>> clear_for;
    for (const auto i : pending) {
      verdicts[i] = decide(wanted[i], open, in.self);
      if (verdicts[i].kind == Verdict::clear) {
        clear_for[verdicts[i].chosen->chat->chat_id].push_back(wanted[i].chat->key);
      }
    }
    if (clear_for.empty()) return;
    std::vector<std::size_t> left;
    for (const auto i : pending) {
      Verdict& v = verdicts[i];
      if (v.kind != Verdict::clear) {
        left.push_back(i);
        continue;
      }
      const ChatId id = v.chosen->chat->chat_id;
      const auto& keys = clear_for[id];
      if (keys.size() == 1) {
        taken.insert(id);
        continue;
      }
      std::string rivals;
      for (const auto k : keys) rivals += (rivals.empty() ? "" : ", ") + quote_id(k);
      v = {Verdict::unclear,
           nullptr,
           {id},
           msg("adoption.contested",
               "may already have a chat: {chat} is the clear match of more than one chat "
               "({keys})",
               {{"chat", describe_chat(*v.chosen, in.self)}, {"keys", rivals}})};
    }
    pending = std::move(left);
  }
}

// ---- What comes out -------------------------------------------------------------------------

AppliedChat adopted_chat(const DesiredChat& d, const Seen& s, PlatformUserId self) {
  AppliedChat c;
  c.key = d.key;
  c.kind = d.kind;
  c.group_id = d.group_id;
  c.chat_id = s.chat->chat_id;
  c.title = s.chat->title;
  c.managed = true;
  if (!s.members) return c;
  std::map<PlatformUserId, std::string_view> journal;  // the first person of an account
  for (const auto& m : d.members) {
    if (m.platform_user_id) journal.emplace(*m.platform_user_id, m.person_id);
  }
  std::set<PlatformUserId> listed;
  for (const auto& p : s.members->members) {
    if (p.user_id == self || !listed.insert(p.user_id).second) continue;
    AppliedMember m;
    m.platform_user_id = p.user_id;
    m.role = p.is_admin || p.is_owner ? MemberRole::admin : MemberRole::member;  // owners rule
    if (const auto it = journal.find(p.user_id); it != journal.end()) {
      m.person_id = it->second;
      m.origin = MemberOrigin::ours;
    } else {
      m.person_id = "uid:" + std::to_string(p.user_id);
      m.origin = p.joined_by_link ? MemberOrigin::joined : MemberOrigin::observed;
    }
    c.members.push_back(std::move(m));
  }
  std::ranges::sort(c.members, {}, &AppliedMember::person_id);
  c.members_seen = static_cast<std::uint32_t>(c.members.size());
  return c;
}

void record(AdoptionResult& out, const AdoptionInput& in, const DesiredChat& d, Verdict& v) {
  if (v.kind == Verdict::clear) {
    Action a;
    a.type = ActionType::adopt_chat;
    a.chat_key = d.key;
    a.chat_kind = d.kind;
    a.group_id = d.group_id;
    a.title = v.chosen->chat->title;
    a.chat_id = v.chosen->chat->chat_id;
    a.reason = std::move(v.text);
    out.actions.push_back(std::move(a));
    out.adopted.push_back(adopted_chat(d, *v.chosen, in.self));
  } else if (v.kind == Verdict::unclear) {
    const std::string school = quote_id(in.desired.org_id);
    Finding f{FindingCode::adoption_unclear, {d.key}, {}};
    std::ranges::sort(v.chats);
    for (const auto id : v.chats) f.subject_ids.push_back(std::to_string(id));
    f.message = msg("adoption.undecided",
                    "{title} ({key}) {why}. Nothing is created for it until an administrator "
                    "decides: {adopt} binds a chat to it, {approve} approves the held creation "
                    "of a new one",
                    {{"title", quoted(printable(d.title))},
                     {"key", quote_id(d.key)},
                     {"why", v.text},
                     {"adopt", "«rosterd adopt --school " + school + " --key " + quote_id(d.key) +
                                   " --chat-id N»"},
                     {"approve", "«rosterd approve --school " + school + "»"}});
    out.findings.push_back(std::move(f));
    out.undecided.insert(d.key);
  }
}

}  // namespace

AdoptionResult adopt(const AdoptionInput& in) {
  AdoptionResult out;
  const auto wanted = wanted_chats(in.desired, in.applied);
  if (wanted.empty()) return out;
  const auto seen = open_chats(in);
  std::map<ChatId, std::vector<std::string_view>> bindings_to;
  for (const auto& w : wanted) {
    if (const auto b = in.bindings.find(w.chat->key); b != in.bindings.end()) {
      bindings_to[b->second].push_back(w.chat->key);
    }
  }
  std::vector<Verdict> verdicts(wanted.size());
  std::set<ChatId> taken;
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const auto b = in.bindings.find(wanted[i].chat->key);
    if (b == in.bindings.end()) {
      pending.push_back(i);
      continue;
    }
    verdicts[i] = bound_in_config(in, seen, b->second, bindings_to[b->second]);
    if (verdicts[i].kind == Verdict::clear) taken.insert(b->second);
  }
  settle_matches(in, wanted, seen, verdicts, taken, std::move(pending));
  for (std::size_t i = 0; i < wanted.size(); ++i) record(out, in, *wanted[i].chat, verdicts[i]);
  return out;
}

std::vector<ChatId> adoption_candidates(const DesiredState& desired, const AppliedState& applied,
                                        std::span<const PlatformChat> listing,
                                        const std::set<ChatId>& bound,
                                        const std::map<std::string, ChatId>& bindings) {
  const auto wanted = wanted_chats(desired, applied);
  std::vector<ChatId> out;
  if (wanted.empty()) return out;
  for (const auto& c : listing) {
    if (c.archived || bound_already(c.chat_id, bound, applied)) continue;
    const TitleFacts f = facts_of(c.title);
    if (std::ranges::any_of(wanted, [&](const Wanted& w) {
          const auto b = bindings.find(w.chat->key);
          return (b != bindings.end() && b->second == c.chat_id) ||
                 (!w.normal_title.empty() && f.normal == w.normal_title) || names_group(w, f);
        }))
      out.push_back(c.chat_id);
  }
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace rosterd::mapping
