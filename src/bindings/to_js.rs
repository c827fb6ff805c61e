//! The core's reports as JS values: the CLI's serde schema (`src/path/report.rs`,
//! `src/gd/mod.rs`) under three transport rules, so that the fields of a report are written
//! once, in Rust, for both the CLI's JSON and the worker protocol:
//!
//! 1. **keys in camelCase** (`relative_gap` → `relativeGap`);
//! 2. **numbers in bulk as one flat `Float64Array`**: a sequence of numbers, or of equal rows of
//!    numbers (`Vec<[f64; 5]>`), row-major — the worker transfers its buffer without copying;
//! 3. **`None` as `undefined`**, so a field the CLI prints as `null` is absent-or-undefined in JS
//!    (fields the CLI skips stay absent).
//!
//! Everything else maps as JSON would (numbers, booleans, strings, nested objects, arrays of
//! objects). `export/export.js` applies the inverse to write the CLI's JSON from the lab.

use js_sys::{Array, Float64Array, Object, Reflect};
use serde::Serialize;
use serde::ser::{self, Impossible};
use std::fmt;
use wasm_bindgen::JsValue;

/// A value the transport rules cannot carry (a map with non-string keys, an enum with data, a
/// sequence mixing numbers and other values): a bug in a report type, not bad user input.
#[derive(Debug)]
pub struct ToJsError(String);

impl fmt::Display for ToJsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ToJsError {}

impl ser::Error for ToJsError {
    fn custom<T: fmt::Display>(msg: T) -> ToJsError {
        ToJsError(msg.to_string())
    }
}

type Result<T> = std::result::Result<T, ToJsError>;

/// `value` as a JS value under the rules above.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue> {
    value.serialize(Js)
}

/// `snake_case` → `camelCase`.
pub fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The numeric methods of a serializer whose `number(self, f64)` takes every number: integers
/// are exact below 2^53 in magnitude (counts, seeds of the page's range), as for JSON read in JS.
macro_rules! numbers_as_f64 {
    ($ok:ty) => {
        numbers_as_f64!($ok; serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
            serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
            serialize_f32: f32, serialize_f64: f64);
    };
    ($ok:ty; $($method:ident: $t:ty),*) => {
        $(
            fn $method(self, v: $t) -> Result<$ok> {
                self.number(v as f64)
            }
        )*
    };
}

/// The serializer of one value.
struct Js;

impl Js {
    fn number(self, v: f64) -> Result<JsValue> {
        Ok(JsValue::from_f64(v))
    }
}

/// A sequence being built: numbers until the first element that is not (then objects).
enum SeqState {
    Numbers(Vec<f64>),
    Values(Array),
}

/// A sequence or tuple.
struct JsSeq {
    state: SeqState,
    len: usize,
}

impl JsSeq {
    fn new(capacity: Option<usize>) -> JsSeq {
        JsSeq { state: SeqState::Numbers(Vec::with_capacity(capacity.unwrap_or(0))), len: 0 }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        if let SeqState::Numbers(numbers) = &mut self.state {
            let before = numbers.len();
            match value.serialize(Numbers(numbers)) {
                Ok(()) => {
                    self.len += 1;
                    return Ok(());
                }
                Err(e) if self.len > 0 => {
                    numbers.truncate(before);
                    return Err(ToJsError(format!("a sequence mixes numbers and other values ({e})")));
                }
                Err(_) => {
                    numbers.truncate(before);
                    self.state = SeqState::Values(Array::new());
                }
            }
        }
        if let SeqState::Values(array) = &self.state {
            array.push(&value.serialize(Js)?);
        }
        self.len += 1;
        Ok(())
    }

    fn finish(self) -> JsValue {
        match self.state {
            SeqState::Numbers(numbers) => Float64Array::from(numbers.as_slice()).into(),
            SeqState::Values(array) => array.into(),
        }
    }
}

/// Sequences and tuples are built alike.
macro_rules! sequence_like {
    ($($kind:ident),*) => {
        $(
            impl ser::$kind for JsSeq {
                type Ok = JsValue;
                type Error = ToJsError;
                fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                    self.push(value)
                }
                fn end(self) -> Result<JsValue> {
                    Ok(self.finish())
                }
            }
        )*
    };
}

sequence_like!(SerializeSeq, SerializeTuple);

/// A struct or a map with string keys, built as a plain object.
struct JsObject {
    object: Object,
    key: Option<JsValue>,
}

impl JsObject {
    fn set(&self, key: &JsValue, value: JsValue) {
        // Setting a property of a plain object cannot fail.
        let _ = Reflect::set(&self.object, key, &value);
    }
}

impl ser::SerializeStruct for JsObject {
    type Ok = JsValue;
    type Error = ToJsError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        self.set(&JsValue::from_str(&camel_case(key)), value.serialize(Js)?);
        Ok(())
    }
    fn end(self) -> Result<JsValue> {
        Ok(self.object.into())
    }
}

impl ser::SerializeMap for JsObject {
    type Ok = JsValue;
    type Error = ToJsError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let key = key.serialize(Js)?;
        if !key.is_string() {
            return Err(ToJsError("a map key is not a string".into()));
        }
        self.key = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self.key.take().ok_or_else(|| ToJsError("a map value without its key".into()))?;
        self.set(&key, value.serialize(Js)?);
        Ok(())
    }
    fn end(self) -> Result<JsValue> {
        Ok(self.object.into())
    }
}

fn unsupported<T>(what: &str) -> Result<T> {
    Err(ToJsError(format!("{what} has no form in the worker protocol")))
}

impl ser::Serializer for Js {
    type Ok = JsValue;
    type Error = ToJsError;
    type SerializeSeq = JsSeq;
    type SerializeTuple = JsSeq;
    type SerializeTupleStruct = Impossible<JsValue, ToJsError>;
    type SerializeTupleVariant = Impossible<JsValue, ToJsError>;
    type SerializeMap = JsObject;
    type SerializeStruct = JsObject;
    type SerializeStructVariant = Impossible<JsValue, ToJsError>;

    fn serialize_bool(self, v: bool) -> Result<JsValue> {
        Ok(JsValue::from_bool(v))
    }
    numbers_as_f64!(JsValue);
    fn serialize_char(self, v: char) -> Result<JsValue> {
        Ok(JsValue::from_str(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<JsValue> {
        Ok(JsValue::from_str(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<JsValue> {
        Ok(js_sys::Uint8Array::from(v).into())
    }
    fn serialize_none(self) -> Result<JsValue> {
        Ok(JsValue::UNDEFINED)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<JsValue> {
        Ok(JsValue::UNDEFINED)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<JsValue> {
        Ok(JsValue::UNDEFINED)
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<JsValue> {
        Ok(JsValue::from_str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<JsValue> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<JsValue> {
        unsupported("an enum with data")
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<JsSeq> {
        Ok(JsSeq::new(len))
    }
    fn serialize_tuple(self, len: usize) -> Result<JsSeq> {
        Ok(JsSeq::new(Some(len)))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct> {
        unsupported("a tuple struct")
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeTupleVariant> {
        unsupported("an enum with data")
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<JsObject> {
        Ok(JsObject { object: Object::new(), key: None })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<JsObject> {
        Ok(JsObject { object: Object::new(), key: None })
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeStructVariant> {
        unsupported("an enum with data")
    }
}

/// Appends a number, or a row of numbers, to a flat buffer; anything else is an error (the
/// caller then builds an array of values instead).
struct Numbers<'a>(&'a mut Vec<f64>);

impl Numbers<'_> {
    fn number(self, v: f64) -> Result<()> {
        self.0.push(v);
        Ok(())
    }
}

/// A row of numbers inside a [`Numbers`] buffer.
struct Row<'a>(&'a mut Vec<f64>);

impl ser::SerializeTuple for Row<'_> {
    type Ok = ();
    type Error = ToJsError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(Numbers(self.0))
    }
    fn end(self) -> Result<()> {
        Ok(())
    }
}

fn not_a_number<T>() -> Result<T> {
    Err(ToJsError("not a number".into()))
}

impl<'a> ser::Serializer for Numbers<'a> {
    type Ok = ();
    type Error = ToJsError;
    type SerializeSeq = Impossible<(), ToJsError>;
    type SerializeTuple = Row<'a>;
    type SerializeTupleStruct = Impossible<(), ToJsError>;
    type SerializeTupleVariant = Impossible<(), ToJsError>;
    type SerializeMap = Impossible<(), ToJsError>;
    type SerializeStruct = Impossible<(), ToJsError>;
    type SerializeStructVariant = Impossible<(), ToJsError>;

    fn serialize_bool(self, _: bool) -> Result<()> {
        not_a_number()
    }
    numbers_as_f64!(());
    fn serialize_char(self, _: char) -> Result<()> {
        not_a_number()
    }
    fn serialize_str(self, _: &str) -> Result<()> {
        not_a_number()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        not_a_number()
    }
    fn serialize_none(self) -> Result<()> {
        not_a_number()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<()> {
        not_a_number()
    }
    fn serialize_unit(self) -> Result<()> {
        not_a_number()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        not_a_number()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<()> {
        not_a_number()
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<()> {
        not_a_number()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        not_a_number()
    }
    fn serialize_tuple(self, _: usize) -> Result<Row<'a>> {
        Ok(Row(self.0))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct> {
        not_a_number()
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeTupleVariant> {
        not_a_number()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        not_a_number()
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        not_a_number()
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeStructVariant> {
        not_a_number()
    }
}
