//! Regression data `(x_i, y_i)`: parsing (CSV with header `x,y`, or JSON `{"x":[…],"y":[…]}`)
//! and validation. Every error names the problem (and the line, for CSV).

use crate::input::error::{Error, Result, data_message};
use serde::Serialize;

/// A validated, nonempty data set of finite points (order as given).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Data {
    /// Abscissas.
    pub x: Vec<f64>,
    /// Targets.
    pub y: Vec<f64>,
}

impl Data {
    /// Validates `x`, `y`: same length, nonempty, finite.
    pub fn new(x: Vec<f64>, y: Vec<f64>) -> Result<Data> {
        if x.len() != y.len() {
            return Err(Error::LengthMismatch { nx: x.len(), ny: y.len() });
        }
        if x.is_empty() {
            return Err(Error::EmptyData);
        }
        for (index, (&xi, &yi)) in x.iter().zip(&y).enumerate() {
            if !xi.is_finite() || !yi.is_finite() {
                return Err(Error::NonFinite { point: index + 1, x: xi, y: yi });
            }
        }
        Ok(Data { x, y })
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Never true for validated data.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// `max_i |y_i|`.
    pub fn max_abs_y(&self) -> f64 {
        self.y.iter().fold(0.0, |m, v| m.max(v.abs()))
    }

    /// Parses file contents: JSON if the first non-blank character is `{`, CSV otherwise.
    /// `name` is used in messages only.
    pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<Data> {
        if bytes.contains(&0) {
            return Err(Error::NotText(name.to_string()));
        }
        let text = std::str::from_utf8(bytes).map_err(|_| Error::NotText(name.to_string()))?;
        Data::parse_str(text)
    }

    /// Parses text: JSON if it starts with `{`, CSV otherwise.
    pub fn parse_str(text: &str) -> Result<Data> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim_start().starts_with('{') { Data::from_json(text) } else { Data::from_csv(text) }
    }

    /// JSON `{"x":[…],"y":[…]}`.
    pub fn from_json(text: &str) -> Result<Data> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            x: Vec<f64>,
            y: Vec<f64>,
        }
        let raw: Raw = serde_json::from_str(text).map_err(|e| Error::BadJson(e.to_string()))?;
        Data::new(raw.x, raw.y)
    }

    /// CSV with the header `x,y` (spaces allowed, `#` comments and blank lines skipped); also
    /// accepts `;` or tab as separator.
    pub fn from_csv(text: &str) -> Result<Data> {
        let mut x = Vec::new();
        let mut y = Vec::new();
        let mut header_seen = false;
        for (idx, raw) in text.lines().enumerate() {
            let line = idx + 1;
            let content = raw.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = content.split([',', ';', '\t']).map(str::trim).collect();
            if !header_seen {
                header_seen = true;
                if cells.len() == 2 && cells[0].eq_ignore_ascii_case("x") && cells[1].eq_ignore_ascii_case("y") {
                    continue;
                }
                return Err(Error::BadLine { line, reason: data_message("header", &[("found", &shorten(content))]) });
            }
            if cells.len() != 2 {
                let (count, found) = (cells.len(), shorten(content));
                return Err(Error::BadLine { line, reason: data_message("cellCount", &[("count", &count), ("found", &found)]) });
            }
            let parse = |cell: &str, what: &str| -> Result<f64> {
                let short = shorten(cell);
                let v: f64 = cell.parse().map_err(|_| Error::BadLine { line, reason: data_message("notANumber", &[("what", &what), ("cell", &short)]) })?;
                if v.is_finite() { Ok(v) } else { Err(Error::BadLine { line, reason: data_message("notFinite", &[("what", &what), ("cell", &cell)]) }) }
            };
            x.push(parse(cells[0], "x")?);
            y.push(parse(cells[1], "y")?);
        }
        Data::new(x, y)
    }
}

/// At most 40 characters of user text, for messages.
fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_csv_and_json() {
        let d = Data::parse_str("x,y\n-1,0.5\n 2 , -3e-1\n").unwrap();
        assert_eq!(d.x, vec![-1.0, 2.0]);
        assert_eq!(d.y, vec![0.5, -0.3]);
        let j = Data::parse_str(r#"{"x":[-1,2],"y":[0.5,-0.3]}"#).unwrap();
        assert_eq!(d, j);
    }

    #[test]
    fn names_the_bad_line() {
        let e = Data::parse_str("x,y\n1,2\n3,abc\n").unwrap_err();
        assert_eq!(e, Error::BadLine { line: 3, reason: "y = 'abc' is not a number".into() });
        assert!(matches!(Data::parse_str("x,y\n1,nan\n"), Err(Error::BadLine { line: 2, .. })));
        assert!(matches!(Data::parse_str("a,b\n1,2\n"), Err(Error::BadLine { line: 1, .. })));
        assert_eq!(Data::parse_str("x,y\n"), Err(Error::EmptyData));
        assert_eq!(Data::parse_bytes(b"x,y\n\0\x01", "f"), Err(Error::NotText("f".into())));
        assert!(matches!(Data::parse_str(r#"{"x":[1],"y":[1,2]}"#), Err(Error::LengthMismatch { nx: 1, ny: 2 })));
    }
}
