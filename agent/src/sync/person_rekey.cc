#include "sync/person_rekey.h"

#include "importer/workforce_record.h"
#include "tributary/common/log.h"

namespace tributary::agent {

std::size_t RekeyPeopleIfNeeded(LocalStore& store, PersonKeyer& keys) {
  if (!store.GetState("person_key_secret")) return 0;
  std::vector<Person> people = store.People();
  std::vector<std::string> identities;
  std::vector<const Person*> keyed;
  for (const Person& p : people) {
    std::string why;
    PersonIdentifiers ids{p.registration_body, p.registration_number, p.employer_code,
                          p.employer_staff_id};
    if (auto identity = PersonIdentity(ids, why)) {
      identities.push_back(*identity);
      keyed.push_back(&p);
    }
  }
  std::vector<std::string> new_keys = keys.KeysFor(identities);
  std::vector<LocalStore::Rekeyed> moves;
  for (std::size_t i = 0; i < keyed.size(); ++i) {
    moves.push_back({keyed[i]->person_key, new_keys.at(i), identities[i]});
  }
  std::size_t moved = store.RekeyPeople(moves);
  log::Info("person_keys_remade",
            "people=" + std::to_string(moves.size()) + " records=" + std::to_string(moved));
  return moved;
}

}  // namespace tributary::agent
