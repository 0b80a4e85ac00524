//! README.md's "Install" section, read so that the tests run its lines as they are: each test
//! finds its lines by how they start (`scripts/install.sh --prefix`, `cc app.c`, ...).

use super::manifest_dir;

/// The shell lines of the section's ```sh blocks, continuations joined.
pub struct InstallSection {
    pub lines: Vec<String>,
}

pub fn install_section() -> InstallSection {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).expect("README.md");
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Install\n"))
        .expect("README.md has an \"## Install\" section");
    let mut lines = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in section.lines() {
        if line.starts_with("```") {
            in_block = line == "```sh";
            continue;
        }
        if !in_block {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(head) => pending.push_str(head),
            None => {
                pending.push_str(line);
                lines.push(std::mem::take(&mut pending).trim().to_owned());
            }
        }
    }
    assert!(
        lines.len() >= 8,
        "README.md's Install section has too few lines: {lines:?}"
    );
    InstallSection { lines }
}

impl InstallSection {
    /// The one line that starts with `start` (a comment after it included: sh ignores it).
    pub fn command(&self, start: &str) -> String {
        let found: Vec<&String> = self.lines.iter().filter(|l| l.starts_with(start)).collect();
        assert_eq!(
            found.len(),
            1,
            "README.md's Install section: one line starting with `{start}` wanted, in {:?}",
            self.lines
        );
        found[0].clone()
    }

    /// The one line that starts with `start` and whose comment holds `tag`.
    pub fn tagged(&self, start: &str, tag: &str) -> String {
        let found: Vec<&String> = self
            .lines
            .iter()
            .filter(|l| l.starts_with(start))
            .filter(|l| l.split_once(" # ").is_some_and(|(_, c)| c.contains(tag)))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "README.md's Install section: one line `{start} ... # ...{tag}...` wanted, in {:?}",
            self.lines
        );
        found[0].clone()
    }

    /// The lines from the one starting with `first` to the one starting with `last`.
    pub fn lines_between(&self, first: &str, last: &str) -> String {
        let at = |start: &str| {
            self.lines
                .iter()
                .position(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("README.md's Install section: no `{start}` line"))
        };
        let (a, b) = (at(first), at(last));
        assert!(
            a <= b,
            "README.md's Install section: `{first}` after `{last}`"
        );
        self.lines[a..=b].join("\n")
    }
}
