// The data-quality cases of a generated school, planted on purpose.

#include <numeric>

#include "generator/builder.h"

namespace rosterd::generator::detail {
namespace {

// Hands out families in a seeded order, each at most once.
class FamilyQueue {
 public:
  FamilyQueue(Builder& b, const std::vector<Family>& families) : families_(families) {
    order_.resize(families.size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    b.rng().shuffle(order_);
  }
  // The next family that satisfies `fits`, or nullptr when none is left.
  template <typename Fits>
  const Family* next(Fits fits) {
    while (pos_ < order_.size()) {
      const Family& f = families_[order_[pos_++]];
      if (fits(f)) return &f;
    }
    return nullptr;
  }

 private:
  const std::vector<Family>& families_;
  std::vector<std::size_t> order_;
  std::size_t pos_ = 0;
};

bool is_plain_parent(Builder& b, const std::string& id) {
  return !b.person(id).has_role(mapping::role_staff);
}

bool has_phone(Builder& b, const std::string& id) {
  return !b.person(id).phone.empty();
}

}  // namespace

void add_data_quality_cases(Builder& b, const std::vector<Family>& families) {
  FamilyQueue queue(b, families);
  const auto two_parents_with_phones = [&](const Family& f) {
    return f.parent_ids.size() == 2 && is_plain_parent(b, f.parent_ids[0]) &&
           has_phone(b, f.parent_ids[0]) && is_plain_parent(b, f.parent_ids[1]);
  };
  for (int i = 0; i < 2; ++i) {  // a father who gave the journal the mother's number
    if (const Family* f = queue.next(two_parents_with_phones)) {
      b.person(f->parent_ids[1]).phone = b.person(f->parent_ids[0]).phone;
    }
  }
  const auto first_parent_has_phone = [&](const Family& f) {
    return !f.parent_ids.empty() && is_plain_parent(b, f.parent_ids[0]) &&
           has_phone(b, f.parent_ids[0]);
  };
  const Family* a = queue.next(first_parent_has_phone);
  const Family* c = queue.next(first_parent_has_phone);
  if (a && c) b.person(c->parent_ids[0]).phone = b.person(a->parent_ids[0]).phone;  // neighbours
  for (int i = 0; i < 3; ++i) {  // a child registered on a parent's phone
    const Family* f = queue.next(
        [&](const Family& x) { return first_parent_has_phone(x) && !x.child_ids.empty(); });
    if (f) b.person(f->child_ids[0]).phone = b.person(f->parent_ids[0]).phone;
  }
  if (const Family* f = queue.next(first_parent_has_phone)) {  // nobody can reach this parent
    mapping::Person& p = b.person(f->parent_ids[0]);
    p.phone.clear();
    p.email.clear();
    p.platform_user_id.reset();
  }
}

}  // namespace rosterd::generator::detail
