//! A crate's modules lie on floors: each uses only modules of the floors below it, and none uses
//! `lib.rs`, which only declares the modules and names what the crate exports. Each crate lists its
//! floors in a comment in its `lib.rs` and holds them with a unit test that calls [`violations`]
//! with the sources of its modules (`include_str!`). A dev-dependency only.

/// One floor: each module's name and its source.
pub type Floor<'a> = &'a [(&'a str, &'a str)];

/// What breaks the floors of a crate whose `lib.rs` is `lib`: a module `lib` declares that no
/// floor lists (or one listed twice or not declared), and every `crate::MODULE` a module uses that
/// is not on a floor below its own. Empty when the floors hold.
pub fn violations(lib: &str, floors: &[Floor]) -> Vec<String> {
    let mut found = Vec::new();
    let mut declared: Vec<&str> = lib
        .lines()
        .filter_map(|line| {
            let line = line
                .strip_prefix("pub ")
                .or_else(|| line.strip_prefix("pub(crate) "))
                .unwrap_or(line);
            line.strip_prefix("mod ")?.strip_suffix(';')
        })
        .filter(|name| *name != "tests")
        .collect();
    declared.sort_unstable();
    let mut listed: Vec<&str> = floors
        .iter()
        .flat_map(|floor| floor.iter().map(|(name, _)| *name))
        .collect();
    listed.sort_unstable();
    if listed != declared {
        found.push(format!(
            "the floors list {listed:?}, but lib.rs declares {declared:?}: every module is on one floor"
        ));
    }
    for (level, floor) in floors.iter().enumerate() {
        let below: Vec<&str> = floors[..level]
            .iter()
            .flat_map(|floor| floor.iter().map(|(name, _)| *name))
            .collect();
        for (module, source) in *floor {
            for (line, used) in crate_paths(source) {
                if !below.contains(&used.as_str()) {
                    found.push(format!(
                        "{module}.rs:{line} uses crate::{used}, which is not a module below floor {level} ({below:?})"
                    ));
                }
            }
        }
    }
    found
}

/// The modules a source names as `crate::MODULE`, outside comments and before its unit tests; `crate::{...}` (which would
/// reach into lib.rs) is named as `{`.
pub fn crate_paths(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        // A module's own unit tests, at its end, may use the crate root (the program's
        // declaration, say): they are not a floor of the crate.
        if line == "#[cfg(test)]" {
            break;
        }
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let name = if name.is_empty() {
                rest.chars().take(1).collect()
            } else {
                name
            };
            found.push((number + 1, name));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_paths_are_found_in_code_and_not_in_comments() {
        let source = "use crate::json::Map;\n/// [`crate::parse`]\nuse crate::{Error, Map};\n    let x = crate::error::quoted(y);\n#[cfg(test)]\nmod tests {\n    use crate::PROGRAM;\n}\n";
        assert_eq!(
            crate_paths(source),
            vec![
                (1, "json".to_string()),
                (3, "{".to_string()),
                (4, "error".to_string())
            ]
        );
    }

    #[test]
    fn a_module_that_uses_one_above_it_or_is_on_no_floor_is_named() {
        let lib = "mod low;\npub mod high;\npub(crate) mod stray;\n";
        let floors: &[Floor] = &[
            &[("low", "use crate::high::Thing;\n")],
            &[("high", "use crate::low::Other;\n")],
        ];
        assert_eq!(
            violations(lib, floors),
            [
                "the floors list [\"high\", \"low\"], but lib.rs declares [\"high\", \"low\", \"stray\"]: every module is on one floor",
                "low.rs:1 uses crate::high, which is not a module below floor 0 ([])",
            ]
        );
        let holding: &[Floor] = &[&[("low", "")], &[("high", "use crate::low::Other;\n")]];
        assert!(violations("mod low;\nmod high;\n", holding).is_empty());
    }
}
