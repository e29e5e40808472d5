//! Writing a project: every file goes into a staging folder beside the destination, which is then
//! renamed into place. On any error the staging folder is removed, so no half-written project is
//! left. Into an existing folder (`--force`), only missing files are added; existing ones are kept.
//! Something standing where the template needs a folder (a file, a symbolic link) or a file (a
//! folder, a dangling link) is an error naming it: nothing is written then.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::new::render::OutFile;

/// Writes `files` as the project folder `dest` (its parent must exist) and returns the paths of
/// files that already existed there and were kept.
pub fn write_project(dest: &Path, files: &[OutFile]) -> Result<Vec<String>> {
    collisions(dest, files)?;
    let parent = dest.parent().expect("a project folder has a parent");
    let name = dest.file_name().unwrap_or_default().to_string_lossy();
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.mcp-create-staging-"))
        .tempdir_in(parent)
        .map_err(|e| Error::Parent {
            dir: parent.to_owned(),
            reason: e.kind().to_string(),
        })?;
    for file in files {
        let path = staging.path().join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(Error::io("create the folder", dir))?;
        }
        fs::write(&path, &file.contents).map_err(Error::io("write", &path))?;
        if let Some(modified) = file.modified {
            fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|written| written.set_modified(modified))
                .map_err(Error::io("set the modification time of", &path))?;
        }
    }
    if fs::symlink_metadata(dest).is_err() {
        fs::rename(staging.path(), dest).map_err(Error::io("move the staged project to", dest))?;
        let _ = staging.keep();
        return Ok(Vec::new());
    }
    merge(staging.path(), dest, files)
}

/// The paths of `files` that `dest` already has as files (kept), or an error naming what stands
/// where one of them must go.
pub fn collisions(dest: &Path, files: &[OutFile]) -> Result<Vec<String>> {
    let mut kept = Vec::new();
    for file in files {
        if exists(dest, &file.path)? {
            kept.push(file.path.clone());
        }
    }
    Ok(kept)
}

/// Whether `dest/path` is a file already; an error when something else stands there or where one
/// of its folders must go (a folder must be a real folder, not a link that may lead anywhere).
fn exists(dest: &Path, path: &str) -> Result<bool> {
    let blocked = |at: &Path, what: &'static str, needs: &'static str| Error::Blocked {
        dest: dest.to_owned(),
        file: path.to_owned(),
        at: at.strip_prefix(dest).unwrap_or(at).to_owned(),
        what,
        needs,
    };
    let target = dest.join(path);
    let folders: Vec<&Path> = target
        .ancestors()
        .skip(1)
        .take_while(|a| *a != dest)
        .collect();
    for folder in folders.into_iter().rev() {
        match fs::symlink_metadata(folder) {
            Err(_) => return Ok(false),
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) if meta.is_symlink() => {
                return Err(blocked(folder, "a symbolic link", "a folder"));
            }
            Ok(_) => return Err(blocked(folder, "a file", "a folder")),
        }
    }
    match (fs::symlink_metadata(&target), fs::metadata(&target)) {
        (Err(_), _) => Ok(false),
        (Ok(_), Ok(meta)) if meta.is_file() => Ok(true),
        (Ok(_), Ok(_)) => Err(blocked(&target, "a folder", "a file")),
        (Ok(_), Err(_)) => Err(blocked(&target, "a dangling symbolic link", "a file")),
    }
}

/// Moves the staged files missing from `dest` into it; undoes every move if one fails.
fn merge(staging: &Path, dest: &Path, files: &[OutFile]) -> Result<Vec<String>> {
    let kept = collisions(dest, files)?;
    let mut created: Vec<PathBuf> = Vec::new();
    let mut moved = || -> Result<()> {
        for file in files.iter().filter(|f| !kept.contains(&f.path)) {
            let target = dest.join(&file.path);
            let missing: Vec<&Path> = target
                .ancestors()
                .skip(1)
                .take_while(|a| *a != dest && fs::symlink_metadata(a).is_err())
                .collect();
            for dir in missing.into_iter().rev() {
                fs::create_dir(dir).map_err(Error::io("create the folder", dir))?;
                created.push(dir.to_owned());
            }
            fs::rename(staging.join(&file.path), &target)
                .map_err(Error::io("move a staged file to", &target))?;
            created.push(target);
        }
        Ok(())
    };
    if let Err(e) = moved() {
        for path in created.iter().rev() {
            let _ = fs::remove_file(path).or_else(|_| fs::remove_dir(path));
        }
        return Err(e);
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<OutFile> {
        ["README.md", "src/main.rs", "src/lib/x.rs"]
            .into_iter()
            .map(|p| OutFile {
                path: p.into(),
                contents: format!("new {p}").into_bytes(),
                modified: None,
            })
            .collect()
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// Vendored sources keep the SDK's time, so cargo reuses their build across projects.
    #[test]
    fn a_file_with_a_modification_time_gets_it() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("w");
        let sdk_time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let mut files = files();
        files[1].modified = Some(sdk_time);
        write_project(&dest, &files).unwrap();
        let modified = |path: &str| fs::metadata(dest.join(path)).unwrap().modified().unwrap();
        assert_eq!(modified("src/main.rs"), sdk_time);
        assert!(modified("README.md") > sdk_time);
    }

    #[test]
    fn writes_a_new_project_and_leaves_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("w");
        assert!(write_project(&dest, &files()).unwrap().is_empty());
        assert_eq!(
            fs::read_to_string(dest.join("src/lib/x.rs")).unwrap(),
            "new src/lib/x.rs"
        );
        assert_eq!(entries(dir.path()), ["w"]);
    }

    #[test]
    fn merge_keeps_existing_files_and_refuses_what_blocks_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("w");
        fs::create_dir_all(&dest).unwrap();
        fs::write(dest.join("README.md"), "mine").unwrap();
        fs::write(dest.join("src"), "a file where a folder goes").unwrap();
        let error = write_project(&dest, &files()).unwrap_err().to_string();
        assert!(
            error.contains("src is a file where the template needs a folder"),
            "{error}"
        );
        assert_eq!(entries(&dest), ["README.md", "src"], "nothing was written");
        assert_eq!(entries(dir.path()), ["w"]);
        fs::remove_file(dest.join("src")).unwrap();

        #[cfg(unix)]
        {
            let elsewhere = dir.path().join("elsewhere");
            fs::create_dir(&elsewhere).unwrap();
            std::os::unix::fs::symlink(&elsewhere, dest.join("src")).unwrap();
            let error = write_project(&dest, &files()).unwrap_err().to_string();
            assert!(error.contains("src is a symbolic link"), "{error}");
            assert!(entries(&elsewhere).is_empty(), "nothing written through it");
            fs::remove_file(dest.join("src")).unwrap();
            fs::remove_file(dest.join("README.md")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("nothing"), dest.join("README.md")).unwrap();
            let error = collisions(&dest, &files()).unwrap_err().to_string();
            assert!(error.contains("dangling symbolic link"), "{error}");
            fs::remove_file(dest.join("README.md")).unwrap();
            fs::write(dest.join("README.md"), "mine").unwrap();
        }

        assert_eq!(write_project(&dest, &files()).unwrap(), ["README.md"]);
        assert_eq!(fs::read_to_string(dest.join("README.md")).unwrap(), "mine");
        assert_eq!(
            fs::read_to_string(dest.join("src/main.rs")).unwrap(),
            "new src/main.rs"
        );
    }

    #[test]
    fn unwritable_parent_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let not_a_dir = dir.path().join("file");
        fs::write(&not_a_dir, "").unwrap();
        let err = write_project(&not_a_dir.join("w"), &files()).unwrap_err();
        assert!(err.to_string().contains("choose another --path"), "{err}");
    }
}
