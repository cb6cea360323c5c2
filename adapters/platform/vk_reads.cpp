// The platform client's reads: chat listings (the token's own, the organisation's), members
// (one chat by plain calls; many chats batched into executes) and the token's own user.
#include <map>

#include "adapters/platform/client_core.h"
#include "adapters/platform/vk_platform.h"

namespace rosterd::adapters::platform {
namespace {

using mapping::ChatId;
using mapping::PlatformMember;
using mapping::PlatformUserId;
using nlohmann::json;

constexpr int chats_page = 200;               // sferum.listChats count limit
constexpr std::int64_t members_page = 1000;  // messages.getConversationMembers count limit
constexpr const char* members_method = "messages.getConversationMembers";

// All pages of sferum.listChats with these parameters (besides offset and count).
std::vector<mapping::PlatformChat> read_chats(ClientCore& core, const json& params) {
  std::vector<mapping::PlatformChat> chats;
  for (std::int64_t offset = 0;;) {
    Call call{"sferum.listChats", params};
    call.params["offset"] = offset;
    call.params["count"] = chats_page;
    const std::optional<json> page = core.read(call, Op::list_chats);
    if (!page) return chats;
    try {
      const json& items = page->at("items");
      for (const json& item : items) {
        // Who made a chat and when decide whether a look-up may bind it (mapping/lookup.h);
        // an answer without them reads as "made by the platform, at the epoch": never bound.
        chats.push_back({item.at("chat_id").get<ChatId>(), item.value("title", std::string()),
                         item.value("archived", false),
                         item.value("created_by", PlatformUserId{0}),
                         item.value("created_at", std::int64_t{0}),
                         item.value("members_count", std::uint32_t{0})});
      }
      offset += static_cast<std::int64_t>(items.size());
      if (items.empty() || offset >= page->at("count").get<std::int64_t>()) return chats;
    } catch (const json::exception&) {
      throw mapping::PlatformUnavailable("sferum.listChats: answer does not follow the contract");
    }
  }
}

// A getConversationMembers page's members, named from its `profiles`. Throws json::exception
// for an answer off the contract.
std::vector<PlatformMember> members_of(const json& page) {
  std::map<PlatformUserId, const json*> profiles;
  if (const auto it = page.find("profiles"); it != page.end() && it->is_array()) {
    for (const json& profile : *it) profiles[profile.at("id").get<PlatformUserId>()] = &profile;
  }
  std::vector<PlatformMember> members;
  for (const json& item : page.at("items")) {
    PlatformMember m;
    m.user_id = item.at("member_id").get<PlatformUserId>();
    m.is_admin = item.value("is_admin", false);
    m.is_owner = item.value("is_owner", false);
    m.invited_by = item.value("invited_by", PlatformUserId{0});
    m.joined_by_link = item.value("joined_by_link", false);
    if (const auto p = profiles.find(m.user_id); p != profiles.end()) {
      m.first_name = p->second->value("first_name", std::string());
      m.last_name = p->second->value("last_name", std::string());
    }
    members.push_back(std::move(m));
  }
  return members;
}

Call page_call(ChatId chat_id, std::int64_t offset) {
  return Call{members_method,
              {{"peer_id", peer_id_base + chat_id}, {"offset", offset}, {"count", members_page}}};
}

// One read_members call: first pages of every chat, batched; then the further pages of the
// chats over 1,000 members, batched too, until none is left.
class MemberReader {
 public:
  MemberReader(ClientCore& core, std::span<const ChatId> chats)
      : core_(core), chats_(chats), exists_(chats.size(), true), pages_(chats.size()) {}

  std::vector<mapping::ChatMembers> run() {
    std::vector<PageRead> round;
    for (std::size_t i = 0; i < chats_.size(); ++i) round.push_back({i, 0});
    const auto group = static_cast<std::size_t>(core_.options().batch_size);
    while (!round.empty()) {
      for (std::size_t first = 0; first < round.size(); first += group) {
        const auto last = std::min(round.size(), first + group);
        read_batch({round.begin() + static_cast<std::ptrdiff_t>(first),
                    round.begin() + static_cast<std::ptrdiff_t>(last)});
      }
      round.clear();
      std::swap(round, further_);
      std::erase_if(round, [&](const PageRead& r) { return !exists_[r.chat]; });
    }
    return results();
  }

 private:
  struct PageRead {
    std::size_t chat = 0;  // index into chats_
    std::int64_t offset = 0;
  };

  // These pages in one go (an execute, shared with other clients' calls), sent again (only the
  // refused or lost ones) after a backoff.
  void read_batch(std::vector<PageRead> pending) {
    for (int attempt = 1;; ++attempt) {
      std::vector<Call> calls;
      for (const PageRead& r : pending) calls.push_back(page_call(chats_[r.chat], r.offset));
      pending = settle(core_.exchange(calls), pending);
      if (pending.empty()) return;
      if (attempt >= core_.options().max_attempts || !core_.may_retry()) {
        throw mapping::PlatformUnavailable(last_failure_ + " (after " + std::to_string(attempt) +
                                           " attempts)");
      }
      core_.pause_before_retry(attempt);
    }
  }

  // Each call's page, or its failure (its own, or its request's); the pages to read again.
  std::vector<PageRead> settle(const std::vector<CallOutcome>& outcomes,
                               const std::vector<PageRead>& pending) {
    std::vector<PageRead> again;
    for (std::size_t k = 0; k < pending.size(); ++k) {
      const CallOutcome& outcome = outcomes[k];
      if (outcome.ok()) {
        take_page(pending[k], outcome.response);
        continue;
      }
      core_.count_error(outcome);
      const Failure& failure = *outcome.failure;
      last_failure_ = core_.describe(outcome.method, failure, outcome.detail);
      switch (classify(failure, Op::members)) {
        case Next::empty:  // 927: the chat is gone
          if (outcome.whole_request) throw mapping::PlatformUnavailable(last_failure_);
          exists_[pending[k].chat] = false;
          pages_[pending[k].chat].clear();
          break;
        case Next::retry:
          again.push_back(pending[k]);
          break;
        case Next::stop:
          throw mapping::PlatformAuthError(failure.code, last_failure_);
        default:
          throw mapping::PlatformUnavailable(last_failure_);
      }
    }
    return again;
  }

  void take_page(const PageRead& read, const json& page) {
    if (!exists_[read.chat]) return;
    try {
      pages_[read.chat][read.offset] = members_of(page);
      if (read.offset != 0) return;
      const auto count = page.at("count").get<std::int64_t>();
      for (auto offset = members_page; offset < count; offset += members_page) {
        further_.push_back({read.chat, offset});
      }
    } catch (const json::exception&) {
      throw mapping::PlatformUnavailable(std::string(members_method) +
                                         ": answer does not follow the contract");
    }
  }

  std::vector<mapping::ChatMembers> results() {
    std::vector<mapping::ChatMembers> out;
    for (std::size_t i = 0; i < chats_.size(); ++i) {
      mapping::ChatMembers chat{chats_[i], exists_[i], {}};
      for (auto& [offset, members] : pages_[i]) {
        chat.members.insert(chat.members.end(), std::make_move_iterator(members.begin()),
                            std::make_move_iterator(members.end()));
      }
      out.push_back(std::move(chat));
    }
    return out;
  }

  ClientCore& core_;
  std::span<const ChatId> chats_;
  std::vector<bool> exists_;
  std::vector<std::map<std::int64_t, std::vector<PlatformMember>>> pages_;  // by offset
  std::vector<PageRead> further_;  // pages after the first, for the next round
  std::string last_failure_;
};

}  // namespace

std::vector<mapping::PlatformChat> VkPlatform::list_chats() {
  return read_chats(*core_, json::object());
}

std::vector<mapping::PlatformChat> VkPlatform::list_org_chats(const std::string& org_id) {
  return read_chats(*core_, {{"scope", "organisation"}, {"organisation_id", org_id}});
}

std::vector<PlatformMember> VkPlatform::members(ChatId chat_id) {
  std::vector<PlatformMember> members;
  for (std::int64_t offset = 0;;) {
    const std::optional<json> page = core_->read(page_call(chat_id, offset), Op::members);
    if (!page) return {};  // 927: the chat is gone, so nobody is in it
    try {
      auto some = members_of(*page);
      offset += static_cast<std::int64_t>(some.size());
      const bool last = some.empty() || offset >= page->at("count").get<std::int64_t>();
      members.insert(members.end(), std::make_move_iterator(some.begin()),
                     std::make_move_iterator(some.end()));
      if (last) return members;
    } catch (const json::exception&) {
      throw mapping::PlatformUnavailable(std::string(members_method) +
                                         ": answer does not follow the contract");
    }
  }
}

std::vector<mapping::ChatMembers> VkPlatform::read_members(std::span<const ChatId> chats) {
  return MemberReader(*core_, chats).run();
}

PlatformUserId VkPlatform::self_id() {
  if (self_id_) return *self_id_;
  const std::optional<json> users = core_->read(Call{"users.get", json::object()}, Op::users);
  const bool answered = users && users->is_array() && !users->empty() &&
                        (*users)[0].is_object() && (*users)[0].value("id", json()).is_number_integer();
  if (!answered) throw mapping::PlatformUnavailable("users.get: answer does not follow the contract");
  self_id_ = (*users)[0]["id"].get<PlatformUserId>();
  return *self_id_;
}

}  // namespace rosterd::adapters::platform
