//! Embeds `runbooks/` and `templates/` into the binary, so `runbook` works from any directory.
//! Generated as a table (rather than listed by hand) so a new file can never be forgotten.

use std::{env, fs, path::Path};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut out = String::new();
    for dir in ["runbooks", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
        let mut names: Vec<String> = fs::read_dir(Path::new(&root).join(dir))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_file())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        out.push_str(&format!(
            "pub(crate) const {}: &[(&str, &str)] = &[\n",
            dir.to_uppercase()
        ));
        for name in names {
            println!("cargo:rerun-if-changed={dir}/{name}");
            out.push_str(&format!(
                "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{dir}/{name}\"))),\n"
            ));
        }
        out.push_str("];\n");
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(dest, out).expect("write embedded table");
}
