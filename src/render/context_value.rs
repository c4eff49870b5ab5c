//! Page views turned into the JSON values a Tera context holds, as `serde_json::to_value` makes them
//! but for quotations and article items: a view lists one as a [`QuoteRef`] or [`ArticleRef`], and
//! the page's context gets a copy of the value made for it once per build. A quotation is shown on
//! half a dozen pages (its article's, its speaker's, those of the places it names, the lists), an
//! article on the timelines of everything it mentions; making a value from its view costs several
//! times what copying it does.
//!
//! Structs, maps, lists and shared values are made here (any of them can hold a shared value);
//! everything else (numbers, strings, enums) by serde_json's own serializer.

use serde::ser::{self, Serialize};
use serde_json::value::Serializer as ValueSerializer;
use serde_json::{Map, Value};

type Error = serde_json::Error;

/// The names a [`QuoteRef`] and an [`ArticleRef`] serialise under, which only this serializer reads.
const QUOTE: &str = "$briefing::QuoteRef";
const ARTICLE: &str = "$briefing::ArticleRef";

/// A quotation in a view, by its index in the site's quotations. Serialised by [`to_value`], it is
/// the value the [`SharedValues`] give for it; by any other serializer, only its index. (An enum
/// variant is written by serde_json: a view's enums must not hold one.)
#[derive(Clone, Copy)]
pub struct QuoteRef(pub usize);

/// An article's list item in a view, by the article's index, as [`QuoteRef`] is a quotation's.
#[derive(Clone, Copy)]
pub struct ArticleRef(pub usize);

impl Serialize for QuoteRef {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(QUOTE, &(self.0 as u64))
    }
}

impl Serialize for ArticleRef {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(ARTICLE, &(self.0 as u64))
    }
}

/// Where the values of quotations and article items come from: made once, then copied.
pub trait SharedValues {
    fn quote_value(&self, quote: usize) -> Value;
    fn article_value(&self, article: usize) -> Value;
}

/// `value` as a JSON value: what `serde_json::to_value` gives, with each [`QuoteRef`] and
/// [`ArticleRef`] replaced by its value from `shared`.
pub fn to_value<T: Serialize + ?Sized>(
    value: &T,
    shared: &dyn SharedValues,
) -> Result<Value, Error> {
    value.serialize(ViewSerializer { shared })
}

/// Makes structs, maps, lists and shared values itself and hands the rest to serde_json.
#[derive(Clone, Copy)]
struct ViewSerializer<'q> {
    shared: &'q dyn SharedValues,
}

/// A struct's fields.
struct StructFields<'q> {
    fields: Map<String, Value>,
    serializer: ViewSerializer<'q>,
}

/// A map's entries; also a struct's with a flattened field (serde writes those as maps).
struct MapEntries<'q> {
    entries: Map<String, Value>,
    /// The key given, waiting for its value.
    key: Option<String>,
    serializer: ViewSerializer<'q>,
}

/// A list's items.
struct ListItems<'q> {
    items: Vec<Value>,
    serializer: ViewSerializer<'q>,
}

impl<'q> ser::Serializer for ViewSerializer<'q> {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = ListItems<'q>;
    type SerializeTuple = ListItems<'q>;
    type SerializeTupleStruct = ListItems<'q>;
    type SerializeTupleVariant = <ValueSerializer as ser::Serializer>::SerializeTupleVariant;
    type SerializeMap = MapEntries<'q>;
    type SerializeStruct = StructFields<'q>;
    type SerializeStructVariant = <ValueSerializer as ser::Serializer>::SerializeStructVariant;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Error> {
        ValueSerializer.serialize_i8(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Error> {
        ValueSerializer.serialize_i16(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Error> {
        ValueSerializer.serialize_i32(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Error> {
        ValueSerializer.serialize_i64(v)
    }
    fn serialize_i128(self, v: i128) -> Result<Value, Error> {
        ValueSerializer.serialize_i128(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Error> {
        ValueSerializer.serialize_u8(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Error> {
        ValueSerializer.serialize_u16(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Error> {
        ValueSerializer.serialize_u32(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Error> {
        ValueSerializer.serialize_u64(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Value, Error> {
        ValueSerializer.serialize_u128(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        ValueSerializer.serialize_f32(v)
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        ValueSerializer.serialize_f64(v)
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        ValueSerializer.serialize_char(v)
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        ValueSerializer.serialize_bytes(v)
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        ValueSerializer.serialize_unit_variant(name, index, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        if name == QUOTE || name == ARTICLE {
            let index = value
                .serialize(ValueSerializer)?
                .as_u64()
                .and_then(|index| usize::try_from(index).ok())
                .ok_or_else(|| ser::Error::custom("a shared value's index is not a number"))?;
            return Ok(if name == QUOTE {
                self.shared.quote_value(index)
            } else {
                self.shared.article_value(index)
            });
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        ValueSerializer.serialize_newtype_variant(name, index, variant, value)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<ListItems<'q>, Error> {
        Ok(ListItems {
            items: Vec::with_capacity(len.unwrap_or(0)),
            serializer: self,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<ListItems<'q>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<ListItems<'q>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        ValueSerializer.serialize_tuple_variant(name, index, variant, len)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapEntries<'q>, Error> {
        Ok(MapEntries {
            entries: Map::new(),
            key: None,
            serializer: self,
        })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<StructFields<'q>, Error> {
        Ok(StructFields {
            fields: Map::new(),
            serializer: self,
        })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        ValueSerializer.serialize_struct_variant(name, index, variant, len)
    }
}

impl ser::SerializeStruct for StructFields<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let value = value.serialize(self.serializer)?;
        self.fields.insert(key.to_owned(), value);
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.fields))
    }
}

impl ser::SerializeMap for MapEntries<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        // Keys as serde_json writes them: strings as they are, numbers and booleans as text.
        self.key = Some(match key.serialize(ValueSerializer)? {
            Value::String(text) => text,
            Value::Number(number) => number.to_string(),
            Value::Bool(value) => value.to_string(),
            _ => return Err(ser::Error::custom("a map's key must be a string")),
        });
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ser::Error::custom("a map's value came before its key"))?;
        let value = value.serialize(self.serializer)?;
        self.entries.insert(key, value);
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.entries))
    }
}

impl ser::SerializeSeq for ListItems<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(self.serializer)?);
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        Ok(Value::Array(self.items))
    }
}

impl ser::SerializeTuple for ListItems<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for ListItems<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Inner<'a> {
        zeta: &'a str,
        alpha: Option<u32>,
        list: Vec<(i64, f64)>,
    }

    #[derive(Serialize)]
    enum Choice {
        Unit,
        Newtype(u8),
        Tuple(u8, char),
        Struct { value: bool },
    }

    #[derive(Serialize)]
    struct Flat {
        flat_quotes: Vec<QuoteRef>,
        article: ArticleRef,
    }

    #[derive(Serialize)]
    struct Outer<'a> {
        #[serde(flatten)]
        flat: Flat,
        quotes: Vec<QuoteRef>,
        name: String,
        inner: Inner<'a>,
        nested: Vec<Inner<'a>>,
        map: BTreeMap<String, Vec<bool>>,
        choices: Vec<Choice>,
        nothing: Option<Inner<'a>>,
        unit: (),
        #[serde(skip)]
        _skipped: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        absent: Option<u8>,
        float: f64,
        big: u128,
    }

    /// Gives each quotation `{"quote": index}` and article `{"article": index}`, and counts the
    /// calls.
    struct Shared(std::cell::Cell<usize>);

    impl SharedValues for Shared {
        fn quote_value(&self, quote: usize) -> Value {
            self.0.set(self.0.get() + 1);
            serde_json::json!({ "quote": quote })
        }
        fn article_value(&self, article: usize) -> Value {
            self.0.set(self.0.get() + 1);
            serde_json::json!({ "article": article })
        }
    }

    /// Every kind of value a view can hold comes out as serde_json makes it, and each quotation
    /// as its value.
    #[test]
    fn values_equal_serde_json_s_and_quotations_come_from_their_values() {
        let inner = || Inner {
            zeta: "<z>",
            alpha: Some(3),
            list: vec![(-1, 0.5), (2, f64::NAN)],
        };
        let outer = Outer {
            flat: Flat {
                flat_quotes: vec![QuoteRef(1)],
                article: ArticleRef(8),
            },
            quotes: vec![QuoteRef(4), QuoteRef(0)],
            name: "é \"quoted\"".into(),
            inner: inner(),
            nested: vec![inner(), inner()],
            map: BTreeMap::from([("b".into(), vec![true]), ("a".into(), vec![])]),
            choices: vec![
                Choice::Unit,
                Choice::Newtype(7),
                Choice::Tuple(1, 'x'),
                Choice::Struct { value: false },
            ],
            nothing: None,
            unit: (),
            _skipped: 9,
            absent: None,
            float: 1.25,
            big: u128::from(u64::MAX),
        };
        let shared = Shared(std::cell::Cell::new(0));
        let ours = to_value(&outer, &shared).unwrap();
        let mut expected = serde_json::to_value(&outer).unwrap();
        assert_eq!(expected["quotes"], serde_json::json!([4, 0]));
        expected["quotes"] = serde_json::json!([{ "quote": 4 }, { "quote": 0 }]);
        // A flattened struct is written as a map: its quotations too are values.
        assert_eq!(expected["flat_quotes"], serde_json::json!([1]));
        expected["flat_quotes"] = serde_json::json!([{ "quote": 1 }]);
        assert_eq!(expected["article"], serde_json::json!(8));
        expected["article"] = serde_json::json!({ "article": 8 });
        assert_eq!(ours, expected);
        assert_eq!(shared.0.get(), 4);
        // And the maps are whole: every field, in name order.
        let keys: Vec<&String> = ours.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "article",
                "big",
                "choices",
                "flat_quotes",
                "float",
                "inner",
                "map",
                "name",
                "nested",
                "nothing",
                "quotes",
                "unit"
            ]
        );
    }
}
