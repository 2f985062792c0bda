use super::*;

fn mem() -> MemSource {
    let mut m = MemSource::from_files(
        "p.zip",
        [
            ("portfolio.toml", b"x".to_vec()),
            ("evidence/02.md", b"two".to_vec()),
            ("evidence/01.md", b"one".to_vec()),
            ("evidence/deep/03.md", b"three".to_vec()),
            ("attachments/sheet.png", b"png".to_vec()),
        ],
    );
    m.insert_link(Path::new("attachments/inside.png"), "sheet.png");
    m.insert_link(Path::new("attachments/up.png"), "../portfolio.toml");
    m.insert_link(Path::new("attachments/out.png"), "../../secret.png");
    m.insert_link(Path::new("attachments/abs.png"), "/etc/passwd");
    m.insert_link(Path::new("linked"), "attachments");
    m.insert_link(Path::new("loop"), "loop");
    m
}

#[test]
fn a_listing_is_sorted_with_folders_implied_by_paths() {
    let m = mem();
    assert_eq!(
        m.list(Path::new("")).unwrap(),
        vec![
            ("attachments".to_string(), Kind::Folder),
            ("evidence".to_string(), Kind::Folder),
            ("linked".to_string(), Kind::Link),
            ("loop".to_string(), Kind::Link),
            ("portfolio.toml".to_string(), Kind::File),
        ]
    );
    assert_eq!(
        m.list(Path::new("evidence")).unwrap(),
        vec![
            ("01.md".to_string(), Kind::File),
            ("02.md".to_string(), Kind::File),
            ("deep".to_string(), Kind::Folder),
        ]
    );
    assert_eq!(
        m.list(Path::new("portfolio.toml")).unwrap_err().kind(),
        std::io::ErrorKind::NotADirectory
    );
    assert_eq!(
        m.list(Path::new("nothing")).unwrap_err().kind(),
        std::io::ErrorKind::NotFound
    );
    // `evidence2` sorts after `evidence/` but is no part of it.
    let mut m = m;
    m.insert(Path::new("evidence2/x.md"), Vec::new());
    assert_eq!(m.list(Path::new("evidence")).unwrap().len(), 3);
}

#[test]
fn entries_say_what_is_there_without_following_links() {
    let m = mem();
    assert_eq!(m.entry(Path::new("")).unwrap(), Entry::Folder);
    assert_eq!(m.entry(Path::new("evidence")).unwrap(), Entry::Folder);
    assert_eq!(m.entry(Path::new("./evidence/01.md")).unwrap(), Entry::File { len: 3 });
    assert_eq!(
        m.entry(Path::new("linked")).unwrap(),
        Entry::Link {
            target: Some(PathBuf::from("attachments"))
        }
    );
    assert_eq!(m.entry(Path::new("evidence/nothing.md")).unwrap(), Entry::Missing);
    assert_eq!(m.entry(Path::new("../portfolio.toml")).unwrap(), Entry::Missing);
}

#[test]
fn links_resolve_inside_and_escapes_are_told() {
    let m = mem();
    let inside = |p: &str| match resolve(&m, Path::new(p)) {
        Resolved::Inside(real, _) => Some(real),
        _ => None,
    };
    assert_eq!(
        inside("attachments/sheet.png"),
        Some(PathBuf::from("attachments/sheet.png"))
    );
    assert_eq!(
        inside("attachments/inside.png"),
        Some(PathBuf::from("attachments/sheet.png"))
    );
    assert_eq!(inside("attachments/up.png"), Some(PathBuf::from("portfolio.toml")));
    assert_eq!(
        inside("linked/inside.png"),
        Some(PathBuf::from("attachments/sheet.png"))
    );
    assert_eq!(resolve(&m, Path::new("attachments/out.png")), Resolved::Outside);
    assert_eq!(resolve(&m, Path::new("attachments/abs.png")), Resolved::Outside);
    assert_eq!(resolve(&m, Path::new("linked/out.png")), Resolved::Outside);
    assert_eq!(resolve(&m, Path::new("../x")), Resolved::Outside);
    assert_eq!(resolve(&m, Path::new("loop")), Resolved::Missing, "a loop ends");
    assert_eq!(resolve(&m, Path::new("attachments/none.png")), Resolved::Missing);
    assert_eq!(resolve(&m, Path::new("portfolio.toml/x")), Resolved::Missing);
    assert_eq!(
        resolve(&m, Path::new("evidence")),
        Resolved::Inside(PathBuf::from("evidence"), Entry::Folder)
    );
}

#[test]
fn files_are_read_through_links_inside_only() {
    let m = mem();
    assert_eq!(m.read(Path::new("evidence/01.md")).unwrap(), b"one");
    assert_eq!(m.read(Path::new("linked/inside.png")).unwrap(), b"png");
    let mut streamed = Vec::new();
    m.open(Path::new("attachments/sheet.png"))
        .unwrap()
        .read_to_end(&mut streamed)
        .unwrap();
    assert_eq!(streamed, b"png");
    for p in [
        "attachments/out.png",
        "attachments/abs.png",
        "../portfolio.toml",
        "nothing",
    ] {
        assert_eq!(
            m.read(Path::new(p)).unwrap_err().kind(),
            std::io::ErrorKind::NotFound,
            "{p}"
        );
    }
    assert!(m.read(Path::new("evidence")).is_err());
    assert!(read_to_string(&m, Path::new("evidence/02.md")).is_ok());
}

#[test]
fn paths_that_leave_the_root_are_not_inserted() {
    let mut m = MemSource::new("p.zip");
    assert!(!m.insert(Path::new("../x.md"), Vec::new()));
    assert!(!m.insert(Path::new("/etc/passwd"), Vec::new()));
    assert!(!m.insert(Path::new(""), Vec::new()));
    assert!(m.insert(Path::new("./a/./b.md"), Vec::new()));
    assert_eq!(m.files().keys().collect::<Vec<_>>(), vec!["a/b.md"]);
}

#[test]
fn a_walk_is_depth_first_in_name_order_and_bounded() {
    let m = mem();
    let found: Vec<String> = walk(&m, Path::new(""), 64)
        .into_iter()
        .map(|w| match w {
            Walked::Entry(p, _) => p.to_string_lossy().replace('\\', "/"),
            Walked::Unreadable(p, _) => format!("! {}", p.display()),
        })
        .collect();
    assert_eq!(
        found,
        [
            "attachments/abs.png",
            "attachments/inside.png",
            "attachments/out.png",
            "attachments/sheet.png",
            "attachments/up.png",
            "evidence/01.md",
            "evidence/02.md",
            "evidence/deep/03.md",
            "linked",
            "loop",
            "portfolio.toml"
        ]
    );
    let shallow = walk(&m, Path::new("evidence"), 1);
    assert_eq!(shallow.len(), 2, "{shallow:?}");
    assert!(matches!(&walk(&m, Path::new("none"), 8)[..], [Walked::Unreadable(..)]));
}

#[test]
fn the_disk_and_memory_agree_on_a_folder() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio");
    let disk = DiskSource::new(&dir);
    let mut files = Vec::new();
    for w in walk(&disk, Path::new(""), 64) {
        if let Walked::Entry(p, Kind::File) = w {
            files.push((p.clone(), disk.read(&p).unwrap()));
        }
    }
    let m = MemSource::from_files("sample-portfolio", files);
    for dir in ["", "evidence", "attachments"] {
        assert_eq!(
            m.list(Path::new(dir)).unwrap(),
            disk.list(Path::new(dir)).unwrap(),
            "{dir}"
        );
    }
    assert_eq!(
        m.entry(Path::new("portfolio.toml")).unwrap(),
        disk.entry(Path::new("portfolio.toml")).unwrap()
    );
    assert_eq!(disk.entry(Path::new("nothing")).unwrap(), Entry::Missing);
    assert!(
        disk.read(Path::new("../Cargo.toml")).is_err(),
        "no way out of the folder"
    );
}
