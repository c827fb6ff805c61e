//! Data with inputs in the plane `(x₁, x₂, y)`: CSV with the header `x1,x2,y`, or JSON
//! `{"x":[[x₁, x₂], …],"y":[…]}`, and their validation (issue: the paper's experiments). Every
//! error names the problem (and the line, for CSV).

use crate::input::data::Data;
use crate::input::error::{Error, Result};
use serde::Serialize;

/// A validated, nonempty data set of finite points in the plane (order as given).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaneData {
    /// Inputs `[x₁, x₂]`.
    pub x: Vec<[f64; 2]>,
    /// Targets.
    pub y: Vec<f64>,
}

/// A data set of either dimension, as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Dataset {
    /// Inputs on the line (`x,y`).
    Line(Data),
    /// Inputs in the plane (`x1,x2,y`).
    Plane(PlaneData),
}

impl PlaneData {
    /// Validates `x`, `y`: same length, nonempty, finite.
    pub fn new(x: Vec<[f64; 2]>, y: Vec<f64>) -> Result<PlaneData> {
        if x.len() != y.len() {
            return Err(Error::LengthMismatch { nx: x.len(), ny: y.len() });
        }
        if x.is_empty() {
            return Err(Error::EmptyData);
        }
        for (index, (p, &yi)) in x.iter().zip(&y).enumerate() {
            if !p[0].is_finite() || !p[1].is_finite() || !yi.is_finite() {
                return Err(Error::Usage(format!("data point {} has a non-finite value ({}, {}, {})", index + 1, p[0], p[1], yi)));
            }
        }
        Ok(PlaneData { x, y })
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

    /// The distinct points, and for each given point the index of its distinct one. Two points
    /// at the same place with the same label are one point of the solve at λ = 0 (the same
    /// constraint twice; the solver's arrangement needs distinct points), which carries their
    /// multipliers' sum; with different labels no function interpolates them. At λ > 0 the
    /// two would weigh twice in the fit term: not supported, an error.
    pub fn distinct(&self, lambda: f64) -> Result<(Vec<[f64; 2]>, Vec<usize>)> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        let key = |i: usize| (self.x[i][0], self.x[i][1]);
        order.sort_by(|&i, &j| key(i).0.total_cmp(&key(j).0).then(key(i).1.total_cmp(&key(j).1)).then(i.cmp(&j)));
        let mut points: Vec<[f64; 2]> = Vec::new();
        let mut index = vec![0; self.len()];
        let mut first_of: Vec<usize> = Vec::new();
        for &i in &order {
            match points.last() {
                Some(p) if *p == self.x[i] => {
                    let first = first_of[first_of.len() - 1];
                    if lambda > 0.0 {
                        return Err(Error::Usage(format!(
                            "points {} and {} are both at ({}, {}): at λ > 0 inputs in the plane must be distinct (merge them, or use λ = 0)",
                            first.min(i) + 1,
                            first.max(i) + 1,
                            self.x[i][0],
                            self.x[i][1]
                        )));
                    }
                    if self.y[first] != self.y[i] {
                        let (a, b) = (first.min(i), first.max(i));
                        return Err(Error::CoincidentPoints { first: a + 1, second: b + 1, x1: self.x[i][0], x2: self.x[i][1], y1: self.y[a], y2: self.y[b] });
                    }
                }
                _ => {
                    points.push(self.x[i]);
                    first_of.push(i);
                }
            }
            index[i] = points.len() - 1;
        }
        Ok((points, index))
    }
}

impl Dataset {
    /// Parses file contents of either dimension: JSON if the first non-blank character is `{`,
    /// CSV otherwise; the header (`x,y` or `x1,x2,y`) or the JSON `x` says which. `name` is used
    /// in messages only.
    pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<Dataset> {
        if bytes.contains(&0) {
            return Err(Error::NotText(name.to_string()));
        }
        let text = std::str::from_utf8(bytes).map_err(|_| Error::NotText(name.to_string()))?;
        Dataset::parse_str(text)
    }

    /// Parses text of either dimension.
    pub fn parse_str(text: &str) -> Result<Dataset> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim_start().starts_with('{') {
            let value: serde_json::Value = serde_json::from_str(text).map_err(|e| Error::BadJson(e.to_string()))?;
            let plane = value.get("x").and_then(|x| x.as_array()).is_some_and(|x| x.first().is_some_and(|v| v.is_array()));
            return if plane { plane_from_json(&value).map(Dataset::Plane) } else { Data::from_json(text).map(Dataset::Line) };
        }
        let header = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
        let cells: Vec<String> = header.split([',', ';', '\t']).map(|c| c.trim().to_ascii_lowercase()).collect();
        if cells == ["x1", "x2", "y"] { plane_from_csv(text).map(Dataset::Plane) } else { Data::from_csv(text).map(Dataset::Line) }
    }
}

/// JSON `{"x":[[x₁, x₂], …],"y":[…]}`: every `x` entry a pair.
fn plane_from_json(value: &serde_json::Value) -> Result<PlaneData> {
    let object = value.as_object().ok_or_else(|| Error::BadJson("expected an object {\"x\":[…],\"y\":[…]}".into()))?;
    if let Some(k) = object.keys().find(|k| *k != "x" && *k != "y") {
        return Err(Error::BadJson(format!("unknown field `{k}`, expected `x` or `y`")));
    }
    let xs = object.get("x").and_then(|x| x.as_array()).ok_or_else(|| Error::BadJson("missing field `x`".into()))?;
    let ys = object.get("y").and_then(|y| y.as_array()).ok_or_else(|| Error::BadJson("missing field `y`".into()))?;
    let mut x = Vec::with_capacity(xs.len());
    for (k, v) in xs.iter().enumerate() {
        let found = v.as_array().map_or(1, Vec::len);
        let pair = v.as_array().filter(|a| a.len() == 2).and_then(|a| Some([a[0].as_f64()?, a[1].as_f64()?]));
        match pair {
            Some(p) => x.push(p),
            None if found != 2 => return Err(Error::MixedDimensions { point: k + 1, found, expected: 2 }),
            None => return Err(Error::BadJson(format!("x of point {} is not a pair of numbers", k + 1))),
        }
    }
    let y: Vec<f64> = ys
        .iter()
        .enumerate()
        .map(|(k, v)| v.as_f64().ok_or_else(|| Error::BadJson(format!("y of point {} is not a number", k + 1))))
        .collect::<Result<_>>()?;
    PlaneData::new(x, y)
}

/// CSV with the header `x1,x2,y` (the same separators, comments and blank lines as `x,y`).
fn plane_from_csv(text: &str) -> Result<PlaneData> {
    let mut x = Vec::new();
    let mut y = Vec::new();
    let mut header_seen = false;
    for (idx, raw) in text.lines().enumerate() {
        let line = idx + 1;
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let cells: Vec<&str> = content.split([',', ';', '\t']).map(str::trim).collect();
        if cells.len() != 3 {
            let found: String = content.chars().take(40).collect();
            return Err(Error::BadLine { line, reason: format!("expected 3 values 'x1,x2,y', found {} in '{found}'", cells.len()) });
        }
        let parse = |cell: &str, what: &str| -> Result<f64> {
            let short: String = cell.chars().take(40).collect();
            let v: f64 = cell.parse().map_err(|_| Error::BadLine { line, reason: format!("{what} = '{short}' is not a number") })?;
            if v.is_finite() { Ok(v) } else { Err(Error::BadLine { line, reason: format!("{what} = {short} is not finite") }) }
        };
        x.push([parse(cells[0], "x1")?, parse(cells[1], "x2")?]);
        y.push(parse(cells[2], "y")?);
    }
    PlaneData::new(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_either_dimension() {
        let Dataset::Plane(p) = Dataset::parse_str("x1,x2,y\n0.5,-0.25,1\n# c\n-1, 1 ,-1\n").unwrap() else { panic!("plane") };
        assert_eq!(p.x, vec![[0.5, -0.25], [-1.0, 1.0]]);
        assert_eq!(p.y, vec![1.0, -1.0]);
        let Dataset::Plane(j) = Dataset::parse_str(r#"{"x":[[0.5,-0.25],[-1,1]],"y":[1,-1]}"#).unwrap() else { panic!("plane") };
        assert_eq!(p, j);
        assert!(matches!(Dataset::parse_str("x,y\n1,2\n"), Ok(Dataset::Line(_))));
        assert!(matches!(Dataset::parse_str(r#"{"x":[1,2],"y":[1,2]}"#), Ok(Dataset::Line(_))));
    }

    #[test]
    fn names_what_is_wrong() {
        assert!(matches!(Dataset::parse_str("x1,x2,y\n1,2,3\n4,5\n"), Err(Error::BadLine { line: 3, .. })));
        assert!(matches!(Dataset::parse_str("x1,x2,y\n1,2,inf\n"), Err(Error::BadLine { line: 2, .. })));
        assert!(matches!(Dataset::parse_str("x1,x2,y\n1,a,3\n"), Err(Error::BadLine { line: 2, .. })));
        assert_eq!(Dataset::parse_str(r#"{"x":[[1,2],3],"y":[1,2]}"#), Err(Error::MixedDimensions { point: 2, found: 1, expected: 2 }));
        assert_eq!(Dataset::parse_str(r#"{"x":[[1,2],[3,4,5]],"y":[1,2]}"#), Err(Error::MixedDimensions { point: 2, found: 3, expected: 2 }));
        assert!(matches!(Dataset::parse_str(r#"{"x":[[1,2]],"y":[1,2]}"#), Err(Error::LengthMismatch { nx: 1, ny: 2 })));
        assert_eq!(Dataset::parse_str("x1,x2,y\n"), Err(Error::EmptyData));
    }

    #[test]
    fn coincident_points() {
        let d = PlaneData::new(vec![[0.0, 1.0], [0.5, 0.5], [0.0, 1.0]], vec![1.0, -1.0, 1.0]).unwrap();
        let (points, index) = d.distinct(0.0).unwrap();
        assert_eq!(points.len(), 2);
        assert_eq!(index[0], index[2]);
        assert_ne!(index[0], index[1]);
        let bad = PlaneData::new(vec![[0.0, 1.0], [0.5, 0.5], [0.0, 1.0]], vec![1.0, -1.0, -1.0]).unwrap();
        assert_eq!(bad.distinct(0.0), Err(Error::CoincidentPoints { first: 1, second: 3, x1: 0.0, x2: 1.0, y1: 1.0, y2: -1.0 }));
        assert!(matches!(d.distinct(0.1), Err(Error::Usage(_))));
    }
}
