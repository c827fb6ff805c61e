//! The panic hook of the WebAssembly modules: a panic's message is kept for the worker, which
//! reads it with [`take_panic`] after the `WebAssembly.RuntimeError` and loads a fresh instance.

use std::sync::Mutex;
use wasm_bindgen::prelude::*;

/// The message of the last panic, until [`take_panic`] takes it.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Records a panic's message (one line, with its location) and writes it to `console.error`.
/// A panic aborts the call with a `WebAssembly.RuntimeError` ("unreachable"); the caller then
/// reads the message with [`take_panic`] and should treat the instance as broken.
fn panic_hook(info: &std::panic::PanicHookInfo) {
    let message = format!("internal error: {info}").replace(['\n', '\r'], " ");
    web_sys::console::error_1(&JsValue::from_str(&message));
    if let Ok(mut last) = LAST_PANIC.lock() {
        *last = Some(message);
    }
}

/// Installs [`panic_hook`] when the module is instantiated. Our own hook rather than the
/// `console_error_panic_hook` crate: we need the message kept for the worker, not only logged.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(panic_hook));
}

/// The message of the last panic (then forgotten), or `undefined` if there was none.
#[wasm_bindgen(js_name = takePanic)]
pub fn take_panic() -> Option<String> {
    LAST_PANIC.lock().ok().and_then(|mut last| last.take())
}

/// Panics with `message`: exists so that the tests can check that a panic surfaces as an error
/// (in the worker: an `error` reply, never a hang).
#[wasm_bindgen(js_name = panicForTesting)]
pub fn panic_for_testing(message: &str) {
    panic!("{message}");
}
