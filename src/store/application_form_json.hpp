#pragma once
// ra::ApplicationForm <-> the JSON object in applications.form (migrations/0004_ra.sql).
// Keys are the struct's field names. A key missing on reading takes the field's default, so a
// form written before a field existed still reads; a key of the wrong type is corruption.
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "ra/application.hpp"

namespace eseal::store {

// invalid_input ("application.form_encoding") if a field is not valid UTF-8.
[[nodiscard]] core::Result<std::string> form_to_json(const ra::ApplicationForm& form);
// storage ("storage.corrupt") if the text is not such an object.
[[nodiscard]] core::Result<ra::ApplicationForm> form_from_json(std::string_view text,
                                                               std::string_view where);

}  // namespace eseal::store
