#include "sim/platform/batch.h"

#include <gtest/gtest.h>

namespace rosterd::sim {
namespace {

TEST(ParseBatch, ReadsCallsInOrderWithTheirParameters) {
  const auto calls = parse_batch(
      R"(return [API.messages.addChatUser({"chat_id": 5, "user_id": 7}),
                 API.messages.editChat({"chat_id": 5, "title": "5А (a) [b] {c}"})];)");
  ASSERT_TRUE(calls);
  ASSERT_EQ(calls->size(), 2u);
  EXPECT_EQ((*calls)[0].method, "messages.addChatUser");
  EXPECT_EQ((*calls)[0].params, (Params{{"chat_id", "5"}, {"user_id", "7"}}));
  EXPECT_EQ((*calls)[1].method, "messages.editChat");
  EXPECT_EQ((*calls)[1].params.at("title"), "5А (a) [b] {c}");
}

TEST(ParseBatch, TurnsArraysIntoCommaListsAndBooleansIntoDigits) {
  const auto calls = parse_batch(
      R"(return [API.messages.createChat({"title": "x", "user_ids": [1, 2], "reset": true})];)");
  ASSERT_TRUE(calls);
  EXPECT_EQ((*calls)[0].params.at("user_ids"), "1,2");
  EXPECT_EQ((*calls)[0].params.at("reset"), "1");
  EXPECT_TRUE((*calls)[0].param_error.empty());
}

TEST(ParseBatch, MarksAnObjectValuedParameterAsAnError) {
  const auto calls = parse_batch(R"(return [API.messages.editChat({"chat_id": {"a": 1}})];)");
  ASSERT_TRUE(calls);
  EXPECT_FALSE((*calls)[0].param_error.empty());
}

TEST(ParseBatch, AcceptsAnEmptyListAndCallsWithoutParameters) {
  EXPECT_EQ(parse_batch("return [];")->size(), 0u);
  const auto calls = parse_batch("  return[API.sferum.listChats()] ; ");
  ASSERT_TRUE(calls);
  EXPECT_EQ((*calls)[0].method, "sferum.listChats");
}

TEST(ParseBatch, RefusesAnythingButTheBatchForm) {
  const char* const refused[] = {
      "",
      "return [API.messages.addChatUser({\"chat_id\": 1})]",     // no semicolon
      "return [API.messages.addChatUser({\"chat_id\": 1})]; x",  // trailing code
      "var a = 1; return [a];",                                  // other VKScript
      "return [API.messages.addChatUser(chat_id=1)];",           // not JSON
      "return [API.messages.addChatUser({\"chat_id\": 1)];",     // unbalanced
      "return [API.messages.addChatUser({\"chat_id\": 1},)];",   // trailing comma
      "return [API.({\"a\": 1})];",                              // no method name
      "return [API.messages.({\"a\": 1})];",                     // name ends in a dot
      "return [API.messages.editChat([1, 2])];",                 // not an object
      "return [API.messages.editChat({\"title\": \"x}\"}),];",   // trailing comma in list
  };
  for (const char* code : refused) EXPECT_FALSE(parse_batch(code)) << code;
}

}  // namespace
}  // namespace rosterd::sim
