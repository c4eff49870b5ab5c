//! The write stage: puts the rendered site on disk atomically. The new site is written into a
//! temporary folder beside the output folder and swapped in only once it is complete, in one atomic
//! exchange of the two folders' names where the system has it, so a failed, interrupted or killed
//! build leaves the previous site whole; files that no input produced do not linger. A lock file
//! beside the output folder keeps two builds from writing it at once.
//!
//! A marker file tells briefing's own output folders apart from anything else, so that a mistyped
//! `--output` never replaces a folder briefing did not make.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::render::OutputFile;

/// Written into every output folder; its presence allows the next build to replace the folder.
pub const MARKER_FILE: &str = ".briefing-output";
const MARKER_TEXT: &str =
    "This folder is built by briefing and replaced as a whole on every build.\n";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{path} exists and was not made by briefing, so it is left alone; remove it or choose another --output"
    )]
    NotOurs { path: PathBuf },
    #[error("{path} exists and is not a folder; remove it or choose another --output")]
    NotAFolder { path: PathBuf },
    #[error(
        "another briefing build is writing {path} now; wait for it to finish, or choose another --output"
    )]
    Busy { path: PathBuf },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `files` as the complete content of `output_dir` (an absolute path), atomically.
pub fn write_site(output_dir: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::begin(output_dir)?;
    for file in files {
        staging.write(&file.path, &file.bytes);
    }
    staging.finish()
}

/// A new output folder being written: a temporary folder beside the output folder, which
/// `finish` swaps in once the site is complete. Files can be written from many threads as they are
/// made, so a build need not hold the whole site in memory. Dropped unfinished (a failed build),
/// it removes itself and the previous site stays.
pub struct Staging {
    dir: PathBuf,
    output_dir: PathBuf,
    parent: PathBuf,
    name: String,
    /// Folders made so far, so each is made once.
    folders: Mutex<HashSet<PathBuf>>,
    /// The first write that failed; later writes are skipped.
    failed: Mutex<Option<OutputError>>,
    finished: bool,
    /// Held (an advisory lock on `.NAME.lock` beside the output folder) until the build is done,
    /// so that two builds never write one folder; the system releases it if the build is killed.
    _lock: fs::File,
}

impl Staging {
    /// Takes the lock beside `output_dir` (an absolute path; `Busy` when another build holds it),
    /// cleans up after a killed build, checks that the folder may be replaced, and makes the
    /// temporary folder.
    pub fn begin(output_dir: &Path) -> Result<Staging, OutputError> {
        let parent = output_dir.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = output_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_error(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(OutputError::Busy {
                    path: output_dir.to_path_buf(),
                })
            }
            // A file system without locks (some network mounts): build unguarded, as before locks.
            Err(fs::TryLockError::Error(_)) => {}
        }
        // Only now, with the lock held, are leftovers surely no other build's work in progress.
        recover_and_clean(&parent, &name, output_dir)?;
        check_replaceable(output_dir)?;
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        fs::create_dir(&dir).map_err(io_error(&dir))?;
        let staging = Staging {
            folders: Mutex::new(HashSet::from([dir.clone()])),
            dir,
            output_dir: output_dir.to_path_buf(),
            parent,
            name,
            failed: Mutex::new(None),
            finished: false,
            _lock: lock,
        };
        staging.write(MARKER_FILE, MARKER_TEXT.as_bytes());
        Ok(staging)
    }

    /// Writes one file (`path` relative, with `/`). A failure is kept for `finish` to report.
    pub fn write(&self, path: &str, bytes: &[u8]) {
        if lock(&self.failed).is_some() {
            return;
        }
        let target = self.dir.join(path);
        if let Err(err) = self.write_file(&target, bytes) {
            lock(&self.failed).get_or_insert(err);
        }
    }

    fn write_file(&self, target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        self.folder_for(target)?;
        fs::write(target, bytes).map_err(io_error(target))
    }

    /// Makes the folder `target` goes in, once.
    fn folder_for(&self, target: &Path) -> Result<(), OutputError> {
        if let Some(folder) = target.parent() {
            if !lock(&self.folders).contains(folder) {
                fs::create_dir_all(folder).map_err(io_error(folder))?;
                lock(&self.folders).insert(folder.to_path_buf());
            }
        }
        Ok(())
    }

    /// Swaps the written site in for the previous one, or reports the first failed write (and
    /// removes the temporary folder).
    pub fn finish(mut self) -> Result<(), OutputError> {
        if let Some(err) = lock(&self.failed).take() {
            return Err(err);
        }
        self.finished = true;
        let result = swap_in(&self.dir, &self.output_dir, &self.parent, &self.name);
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl crate::render::FileSink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) {
        self.write(path, bytes);
    }

    fn put_streamed(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) {
        if lock(&self.failed).is_some() {
            return;
        }
        let target = self.dir.join(path);
        let result = self.folder_for(&target).and_then(|()| {
            let file = fs::File::create(&target).map_err(io_error(&target))?;
            let mut buffered = io::BufWriter::with_capacity(1 << 20, file);
            write(&mut buffered)
                .and_then(|()| io::Write::flush(&mut buffered))
                .map_err(io_error(&target))
        });
        if let Err(err) = result {
            lock(&self.failed).get_or_insert(err);
        }
    }
}

/// A poisoned lock only means another writer panicked; what it guards is still a plain set.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A folder that exists must be briefing's own (or empty) before it is replaced.
fn check_replaceable(output_dir: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(output_dir) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(io_error(output_dir)(err)),
        Ok(meta) if !meta.is_dir() => Err(OutputError::NotAFolder {
            path: output_dir.to_path_buf(),
        }),
        Ok(_) => {
            let ours = output_dir.join(MARKER_FILE).is_file();
            let empty = fs::read_dir(output_dir)
                .map_err(io_error(output_dir))?
                .next()
                .is_none();
            if ours || empty {
                Ok(())
            } else {
                Err(OutputError::NotOurs {
                    path: output_dir.to_path_buf(),
                })
            }
        }
    }
}

fn swap_in(
    staging: &Path,
    output_dir: &Path,
    parent: &Path,
    name: &str,
) -> Result<(), OutputError> {
    if !output_dir.exists() {
        return fs::rename(staging, output_dir).map_err(io_error(output_dir));
    }
    // One atomic exchange where the system has it: the output folder is never missing, even for
    // an instant, and a build killed after it leaves the new site in place and the old one in the
    // temporary folder, which the next build removes.
    if exchange(staging, output_dir).is_ok() {
        // The new site is in place: an old one that cannot be removed now is the next build's
        // leftover, not this build's failure.
        let _ = remove_tree(staging);
        return Ok(());
    }
    let previous = parent.join(format!(".{name}.old-{}", std::process::id()));
    fs::rename(output_dir, &previous).map_err(io_error(output_dir))?;
    if let Err(err) = fs::rename(staging, output_dir) {
        // Put the previous site back: the output folder must never be missing.
        let _ = fs::rename(&previous, output_dir);
        let _ = fs::remove_dir_all(staging);
        return Err(io_error(output_dir)(err));
    }
    remove_tree(&previous).map_err(io_error(&previous))
}

/// Removes a folder of briefing's output and everything in it, the files on every core: the
/// system frees a removed file's pages as it unlinks it, which is most of the time a removal of
/// thousands of files takes (0.15 s for the 10,000-article site's 13,500 files on one core).
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut folders = Vec::new();
    // The walk does not follow links: a link in the output is removed, not what it leads to.
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files
        .par_iter()
        .with_min_len(64)
        .try_for_each(fs::remove_file)?;
    // Deepest first: a folder is empty once the folders below it are gone.
    for folder in folders.iter().rev() {
        fs::remove_dir(folder)?;
    }
    Ok(())
}

/// Swaps two folders' names in one step (Linux's `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Cleans up after an earlier build that was killed: removes its temporary folders, and if it died
/// between moving the old site aside and moving the new one in, puts the old site back.
fn recover_and_clean(parent: &Path, name: &str, output_dir: &Path) -> Result<(), OutputError> {
    let tmp_prefix = format!(".{name}.tmp-");
    let old_prefix = format!(".{name}.old-");
    let mut leftovers: Vec<PathBuf> = fs::read_dir(parent)
        .map_err(io_error(parent))?
        .filter_map(Result::ok)
        .filter(|entry| {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            file_name.starts_with(&tmp_prefix) || file_name.starts_with(&old_prefix)
        })
        .map(|entry| entry.path())
        .collect();
    leftovers.sort();
    if !output_dir.exists() {
        let old = leftovers.iter().position(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&old_prefix))
                && p.join(MARKER_FILE).is_file()
        });
        if let Some(index) = old {
            let old = leftovers.remove(index);
            fs::rename(&old, output_dir).map_err(io_error(output_dir))?;
        }
    }
    // A leftover that cannot be removed (a file in it not ours to delete) must not stop every
    // later build; it is tried again each time.
    for leftover in leftovers {
        let _ = fs::remove_dir_all(&leftover);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: std::sync::Arc::<[u8]>::from(text.as_bytes()).into(),
        }
    }

    #[test]
    fn replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("a.html", "a"), file("x/b.html", "b")]).unwrap();
        write_site(&out, &[file("a.html", "A")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A");
        assert!(!out.join("x").exists());
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, [".public.lock", "public"]);
    }

    #[test]
    fn leaves_foreign_folders_alone() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = write_site(dir.path(), &[file("a.html", "a")]).unwrap_err();
        assert!(matches!(err, OutputError::NotOurs { .. }));
        assert!(dir.path().join("notes.txt").exists());
    }

    #[test]
    fn restores_a_site_moved_aside_by_a_killed_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("a.html", "old")]).unwrap();
        fs::rename(&out, dir.path().join(".public.old-1")).unwrap();
        fs::create_dir(dir.path().join(".public.tmp-2")).unwrap();
        recover_and_clean(dir.path(), "public", &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
        assert!(!dir.path().join(".public.tmp-2").exists());
    }
}
