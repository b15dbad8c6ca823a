//! Which paths count as from elsewhere (a hostile review): only a file directly in
//! the data folder (or a recent file) opens in place; a link never does, whatever
//! it points to now, since it can point elsewhere by the time it is opened.
use cabildo_app::state::from_elsewhere;
use std::os::unix::fs::symlink;

#[test]
fn only_the_data_folders_own_files_open_in_place() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let mail = root.path().join("mail");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&mail).unwrap();
    std::fs::write(mail.join("x.cabildo"), b"x").unwrap();
    std::fs::write(data.join("own.cabildo"), b"x").unwrap();
    let mut out = Vec::new();
    let mut case = |what: &str, p: std::path::PathBuf, expect: bool| {
        let got = from_elsewhere(&data, &p);
        out.push(format!("{what}: {got} (expected {expect})"));
        got == expect
    };
    let mut ok = true;
    ok &= case(
        "dotdot out of data",
        data.join("..").join("mail").join("x.cabildo"),
        true,
    );
    std::fs::create_dir_all(data.join("sub")).unwrap();
    ok &= case(
        "dotdot inside data",
        data.join("sub").join("..").join("own.cabildo"),
        false,
    );
    symlink(mail.join("x.cabildo"), data.join("link-out.cabildo")).unwrap();
    ok &= case(
        "symlink in data -> mail",
        data.join("link-out.cabildo"),
        true,
    );
    symlink(data.join("own.cabildo"), mail.join("link-in.cabildo")).unwrap();
    ok &= case(
        "symlink in mail -> data",
        mail.join("link-in.cabildo"),
        true,
    );
    symlink(mail.join("later.cabildo"), data.join("dangling.cabildo")).unwrap();
    ok &= case(
        "dangling symlink in data -> mail",
        data.join("dangling.cabildo"),
        true,
    );
    ok &= case("relative", std::path::PathBuf::from("x.cabildo"), true);
    ok &= case(
        "incoming folder",
        data.join(".cabildo-incoming").join("c.cabildo"),
        true,
    );
    // The data folder named through a symlink.
    let data_link = root.path().join("data-link");
    symlink(&data, &data_link).unwrap();
    ok &= case("data via symlink", data_link.join("own.cabildo"), false);
    // Hard link of a mail file placed in data (needs write access to data).
    std::fs::hard_link(mail.join("x.cabildo"), data.join("hard.cabildo")).unwrap();
    ok &= case("hard link in data", data.join("hard.cabildo"), false);
    assert!(ok, "{out:#?}");
}
