//! `www/js/state/limits.js` is generated from the core's table of limits (`params::LIMITS`) and
//! its data messages (`error::DATA_MESSAGES`): this test writes it when `UPDATE_LIMITS=1` and
//! otherwise fails when the file and the tables disagree, so that the lab and the CLI never
//! accept different ranges or word the same problem differently.

use scaling_path::input::error::DATA_MESSAGES;
use scaling_path::input::params::LIMITS;

fn generated() -> String {
    let mut out = String::from(
        "// Generated from the solver's limits and data messages (src/input/params.rs LIMITS,\n\
         // src/input/error.rs DATA_MESSAGES) by tests/limits_js.rs:\n\
         // UPDATE_LIMITS=1 cargo test --test limits_js. Do not edit by hand.\n\
         export const CORE_LIMITS = Object.freeze({\n",
    );
    for (name, value) in LIMITS {
        out.push_str(&format!("  {name}: {value},\n"));
    }
    out.push_str("});\n/** Templates: `{name}` stands for a value (see `dataMessage` in validate.js). */\nexport const CORE_MESSAGES = Object.freeze({\n");
    for (name, text) in DATA_MESSAGES {
        let quoted = serde_json::to_string(text).expect("a string");
        out.push_str(&format!("  {name}: {quoted},\n"));
    }
    out.push_str("});\n");
    out
}

#[test]
fn limits_js_is_the_cores_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/js/state/limits.js");
    if std::env::var_os("UPDATE_LIMITS").is_some() {
        std::fs::write(path, generated()).expect("write www/js/state/limits.js");
    }
    let file = std::fs::read_to_string(path).expect("www/js/state/limits.js exists");
    assert_eq!(file, generated(), "www/js/state/limits.js is out of date: run UPDATE_LIMITS=1 cargo test --test limits_js");
}
