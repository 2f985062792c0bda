//! A zip is a portfolio too: `check` and `build` read a zip of a portfolio
//! folder exactly as the folder, and refuse a harmful zip writing nothing.

mod support;

use std::io::Write;
use std::path::Path;
use support::portfolio;
use zip::write::SimpleFileOptions;

/// Every file under `dir`, zipped under `prefix` (a file manager's
/// "compress" puts the folder's name first; zipping its contents does not).
fn zip_folder(dir: &Path, prefix: &str, out: &Path) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let mut files: Vec<_> = walk(dir);
    files.sort();
    for file in files {
        let rel = file.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        w.start_file(format!("{prefix}{rel}"), SimpleFileOptions::default())
            .unwrap();
        w.write_all(&std::fs::read(&file).unwrap()).unwrap();
    }
    w.finish().unwrap();
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A zip entry: its name and bytes.
type Entry<'a> = (&'a str, &'a [u8]);

fn zip_of(entries: &[Entry], out: &Path) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for (name, bytes) in entries {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn the_sample_as_a_zip_builds_the_same_bytes_as_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new("sample-portfolio");
    let nested = tmp.path().join("nested.zip");
    let flat = tmp.path().join("flat.zip");
    zip_folder(sample, "sample-portfolio/", &nested);
    zip_folder(sample, "", &flat);
    let out = |name: &str| tmp.path().join(name);
    for (input, dir) in [(sample.to_path_buf(), "folder"), (nested, "nested"), (flat, "flat")] {
        portfolio()
            .args(["build", "-q", "--date", "2026-11-23", "-o"])
            .arg(out(dir))
            .arg(&input)
            .assert()
            .success();
    }
    for file in ["portfolio.html", "portfolio.pdf", "coverage.json", "follow-ups.ics"] {
        let folder = std::fs::read(out("folder").join(file)).unwrap();
        for zipped in ["nested", "flat"] {
            assert!(
                folder == std::fs::read(out(zipped).join(file)).unwrap(),
                "{file} from the {zipped} zip differs from the folder's"
            );
        }
    }
    let json = |p: &Path| {
        portfolio()
            .args(["check", "--format", "json"])
            .arg(p)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(json(sample), json(&tmp.path().join("flat.zip")));
}

#[test]
fn diagnostics_name_the_zip_not_a_temporary_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("dup.zip");
    zip_folder(Path::new("tests/fixtures/duplicate-id"), "duplicate-id/", &zip);
    let output = portfolio().arg("check").arg(&zip).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}/evidence/three.md:1:1", zip.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("portfolio-zip-"), "{stderr}");
}

#[test]
fn a_harmful_zip_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let toml = std::fs::read("sample-portfolio/portfolio.toml").unwrap();
    let bomb = vec![0u8; 16 << 20];
    let cases: Vec<(&str, Vec<Entry>, &str)> = vec![
        (
            "dotdot",
            vec![("portfolio.toml", &toml), ("../escape.md", b"x")],
            "climbs out",
        ),
        (
            "absolute",
            vec![("portfolio.toml", &toml), ("/etc/escape.md", b"x")],
            "absolute path",
        ),
        (
            "duplicate",
            vec![("portfolio.toml", &toml), ("portfolio.toml", b"x")],
            "appears twice",
        ),
        (
            "bomb",
            vec![("portfolio.toml", &toml), ("attachments/zeros.bin", &bomb)],
            "zip bomb",
        ),
        (
            "none",
            vec![("a/portfolio.toml", &toml), ("b/x.md", b"x")],
            "no portfolio.toml",
        ),
    ];
    for (name, entries, words) in cases {
        let zip = tmp.path().join(format!("{name}.zip"));
        if name == "duplicate" {
            // The zip crate will not write one name twice: write it raw.
            let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
            w.start_file("portfolio.toml", SimpleFileOptions::default()).unwrap();
            w.write_all(&toml).unwrap();
            w.start_file("Portfolio.toml", SimpleFileOptions::default()).unwrap();
            w.finish().unwrap();
        } else {
            zip_of(&entries, &zip);
        }
        let out = tmp.path().join(format!("out-{name}"));
        let output = portfolio().args(["build", "-o"]).arg(&out).arg(&zip).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(words), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: the output folder was written");
    }
    let link = tmp.path().join("link.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&link).unwrap());
    w.start_file("portfolio.toml", SimpleFileOptions::default()).unwrap();
    w.write_all(&toml).unwrap();
    w.add_symlink("evidence", "/etc", SimpleFileOptions::default()).unwrap();
    w.finish().unwrap();
    let output = portfolio().arg("check").arg(&link).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("symbolic link"));
}
