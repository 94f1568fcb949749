//! The vendoring bundle `scripts/dist` writes: its layout, the launcher that picks the platform's
//! programs (and names a missing platform in one line), and the drift story run by real Terraform
//! from a copy of the bundle, with a relative `source`.

use std::io::Write;
use std::path::{Path, PathBuf};

use ecs_drift_tests::story::{self, Change, Deploy, FARGATE, Failure, moto_with_cluster};
use ecs_drift_tests::terraform::{Toolchain, Workdir};
use ecs_drift_tests::{
    Moto, bundle_of_this_build, repo_root, run_command, sealed_command, workspace_binary,
};

const PROGRAMS: [&str; 3] = [
    "live_task_lookup",
    "container_definition",
    "task_definition_selector",
];

/// This machine's platform as the launcher names it.
fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}-{arch}", std::env::consts::OS)
}

#[test]
fn the_bundle_holds_the_module_the_launchers_and_this_platforms_programs() {
    let (_dir, bundle) = bundle_of_this_build();
    for file in [
        "task_definition.tf",
        "service.tf",
        "policies.tf",
        "variables.tf",
        "outputs.tf",
        "versions.tf",
        "README.md",
    ] {
        assert!(
            bundle.join("terraform-module").join(file).is_file(),
            "{file}"
        );
    }
    // The submodules, each beside the module as in the repository.
    for submodule in PROGRAMS {
        for file in [
            "main.tf",
            "variables.tf",
            "outputs.tf",
            "versions.tf",
            "README.md",
        ] {
            let path = bundle
                .join("terraform-module/modules")
                .join(submodule)
                .join(file);
            assert!(path.is_file(), "{}", path.display());
        }
    }
    assert!(bundle.join("README.md").is_file());
    for program in PROGRAMS {
        let launcher = bundle.join("bin").join(program);
        let build = bundle.join("bin").join(platform()).join(program);
        assert!(launcher.is_file() && build.is_file(), "{program}");
        // Through the launcher, the platform's build answers.
        let run = ecs_drift_tests::run(&launcher, &["--version"], "");
        assert_eq!(run.status, Some(0), "{run:#?}");
        assert!(run.stdout.starts_with(program), "{run:#?}");
    }

    // A second platform's programs are added beside the first's, which stay.
    let programs = bundle.join("bin").join(platform());
    let mut dist = sealed_command(repo_root().join("scripts/dist"));
    dist.arg("--programs")
        .arg(&programs)
        .args(["--platform", "darwin-arm64"])
        .arg(&bundle);
    let run = run_command(dist, b"");
    assert_eq!(run.status, Some(0), "{run:#?}");
    for platform in [platform(), "darwin-arm64".to_string()] {
        for program in PROGRAMS {
            assert!(
                bundle.join("bin").join(&platform).join(program).is_file(),
                "{platform}/{program}"
            );
        }
    }
}

/// A `uname` that reports another machine, first on PATH.
fn fake_uname(os: &str, arch: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let uname = dir.path().join("uname");
    std::fs::write(
        &uname,
        format!("#!/bin/sh\ncase \"$1\" in\n  -s) echo {os} ;;\n  -m) echo {arch} ;;\nesac\n"),
    )
    .expect("write uname");
    std::fs::set_permissions(&uname, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod uname");
    dir
}

#[test]
fn the_launcher_picks_the_platform_and_names_a_missing_one() {
    let (_dir, bundle) = bundle_of_this_build();
    let launcher = bundle.join("bin").join("task_definition_selector");
    let run_as = |os: &str, arch: &str| {
        let uname = fake_uname(os, arch);
        let mut command = sealed_command(&launcher);
        command
            .arg("--version")
            .env("PATH", format!("{}:/usr/bin:/bin", uname.path().display()));
        run_command(command, b"")
    };
    for (os, arch, platform) in [
        ("Darwin", "arm64", "darwin-arm64"),
        ("Darwin", "x86_64", "darwin-x86_64"),
        ("Linux", "aarch64", "linux-arm64"),
    ] {
        let run = run_as(os, arch);
        assert_eq!(run.status, Some(1), "{run:#?}");
        assert_eq!(run.stdout, "", "{run:#?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
        assert!(
            run.stderr.starts_with(&format!(
                "task_definition_selector: this bundle has no {platform} build of task_definition_selector"
            )),
            "{run:#?}"
        );
    }

    // Once a platform's folder is there, its build runs.
    let darwin = bundle.join("bin").join("darwin-arm64");
    std::fs::create_dir_all(&darwin).expect("create the folder");
    std::fs::copy(
        bundle
            .join("bin")
            .join(platform())
            .join("task_definition_selector"),
        darwin.join("task_definition_selector"),
    )
    .expect("copy");
    let run = run_as("Darwin", "arm64");
    assert_eq!(run.status, Some(0), "{run:#?}");
    assert!(
        run.stdout.starts_with("task_definition_selector"),
        "{run:#?}"
    );
}

#[test]
fn scripts_dist_refuses_bad_arguments() {
    let dist = repo_root().join("scripts/dist");
    for (arguments, needle) in [
        (vec!["--bogus"], "dist: unknown option --bogus"),
        (vec!["--programs"], "dist: --programs needs a directory"),
        (vec!["a", "b"], "dist: one output folder only"),
        (
            vec!["--platform", "linux-arm64", "/tmp/ecs-drift-never-written"],
            "dist: --platform goes with --programs",
        ),
        (
            vec!["--programs", "/tmp", "--platform", "plan9-mips"],
            "dist: --platform plan9-mips: expected linux-x86_64, linux-arm64, darwin-x86_64 or darwin-arm64",
        ),
        (
            vec!["--programs", "/nonexistent", "/tmp/ecs-drift-never-written"],
            "dist: /nonexistent/live_task_lookup is not an executable program",
        ),
        (
            vec![
                "--platforms",
                "linux-x86_64,plan9-mips",
                "/tmp/ecs-drift-never-written",
            ],
            "dist: --platforms: plan9-mips: expected linux-x86_64, linux-arm64, darwin-x86_64 or darwin-arm64",
        ),
        (
            vec!["--platforms"],
            "dist: --platforms needs a comma-separated list",
        ),
        (vec!["--profile"], "dist: --profile needs a Cargo profile"),
        (
            vec![
                "--programs",
                "/tmp",
                "--profile",
                "release",
                "/tmp/ecs-drift-never-written",
            ],
            "dist: --programs takes built programs: --platforms and --profile go with building",
        ),
    ] {
        let run = ecs_drift_tests::run(&dist, &arguments, "");
        assert_ne!(run.status, Some(0), "{arguments:?}: {run:#?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
        assert!(run.stderr.starts_with(needle), "{arguments:?}: {run:#?}");
    }
    assert!(!Path::new("/tmp/ecs-drift-never-written").exists());
}

/// The drift story, from a repository that vendors a copy of the bundle.
#[test]
#[ignore = "needs Terraform"]
fn the_story_runs_from_a_copy_of_the_bundle() -> Result<(), Box<dyn std::error::Error>> {
    let toolchain = Toolchain::require();
    let (_dir, bundle) = bundle_of_this_build();
    let moto = moto_with_cluster(FARGATE.cluster);
    let workdir = Workdir::vendored(toolchain, &moto, FARGATE.name, &bundle).map_err(Failure)?;
    let main = std::fs::read_to_string(workdir.path.join("main.tf"))?;
    assert!(main.contains("source = \"./vendor/ecs-drift/terraform-module\""));
    let change = Change {
        from: "LOG_LEVEL = \"info\"",
        to: "LOG_LEVEL = \"debug\"",
        expected: "container app: environment LOG_LEVEL changed",
    };
    story::check_story(&moto, &workdir, &FARGATE, Deploy::AwsCli, change)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The static Linux builds: the bundle `scripts/dist` cross-builds for linux-x86_64 and
// linux-arm64 (musl), checked static, run natively and under qemu, with one real query each.
// The tests build them with the `dist-test` profile (Cargo.toml): release without whole-program
// LTO, which changes nothing of what is checked here and builds in a fraction of the time;
// `make dist` builds the release profile, and all four platforms.

/// The platforms `make test` builds and runs (the darwin ones are built and checked below).
const STATIC_PLATFORMS: [&str; 2] = ["linux-x86_64", "linux-arm64"];

/// The Rust targets the static builds need.
const STATIC_TARGETS: [&str; 2] = ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"];

/// A bundle of the two static Linux platforms, built once per test process; `None` (with a line
/// on stderr) outside CI when the musl standard libraries are not installed.
fn static_bundle() -> Option<&'static Path> {
    static BUNDLE: std::sync::OnceLock<Option<(tempfile::TempDir, PathBuf)>> =
        std::sync::OnceLock::new();
    BUNDLE
        .get_or_init(|| cross_built("static Linux", &STATIC_TARGETS, &STATIC_PLATFORMS))
        .as_ref()
        .map(|(_, out)| out.as_path())
}

/// A bundle of `platforms` in a temporary directory, cross-built by `scripts/dist` with the
/// `dist-test` profile and without `SDKROOT` (the darwin programs link the repository's stubs);
/// `None` (with a line on stderr) outside CI when a standard library of `targets` is missing.
fn cross_built(
    what: &str,
    targets: &[&str],
    platforms: &[&str],
) -> Option<(tempfile::TempDir, PathBuf)> {
    let installed = std::process::Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
        .unwrap_or_default();
    let missing: Vec<&str> = targets
        .iter()
        .copied()
        .filter(|target| !installed.lines().any(|line| line == *target))
        .collect();
    if !missing.is_empty() {
        let message = format!(
            "the {what} builds need `rustup target add {}` (.ci/run does)",
            missing.join(" ")
        );
        assert!(!ecs_drift_tests::terraform::in_ci(), "{message}");
        let _ = writeln!(
            std::io::stderr(),
            "skipped (CI=true makes this a failure): {message}"
        );
        return None;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("ecs-drift");
    let mut dist = sealed_command(repo_root().join("scripts/dist"));
    dist.args([
        "--platforms",
        &platforms.join(","),
        "--profile",
        "dist-test",
    ])
    .arg(&out)
    .env_remove("SDKROOT");
    let run = run_command(dist, b"");
    assert_eq!(
        run.status,
        Some(0),
        "scripts/dist could not cross-build the {what} programs: {run:#?}"
    );
    Some((dir, out))
}

/// What the ELF file says of itself: its machine, whether it names a program interpreter
/// (PT_INTERP, the dynamic loader) and the shared libraries it needs (DT_NEEDED). ELF64, little
/// endian; the layout is the System V ABI's (https://refspecs.linuxfoundation.org/elf/gabi4+/ch5.pheader.html
/// and ch5.dynamic.html).
#[derive(Debug, PartialEq)]
struct Elf {
    machine: u16,
    interpreter: bool,
    needed: usize,
}

fn read_elf(path: &Path) -> Elf {
    let bytes = std::fs::read(path).expect("read the program");
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let u64_at =
        |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes")) as usize;
    assert_eq!(&bytes[..4], b"\x7fELF", "{} is no ELF file", path.display());
    assert_eq!((bytes[4], bytes[5]), (2, 1), "ELF64, little endian");
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36) as usize, u16_at(0x38) as usize);
    let mut elf = Elf {
        machine: u16_at(0x12),
        interpreter: false,
        needed: 0,
    };
    for index in 0..phnum {
        let header = phoff + index * phentsize;
        let kind = u32::from_le_bytes(bytes[header..header + 4].try_into().expect("four bytes"));
        match kind {
            3 => elf.interpreter = true, // PT_INTERP
            2 => {
                // PT_DYNAMIC: (d_tag, d_val) pairs up to DT_NULL; DT_NEEDED is 1.
                let (offset, size) = (u64_at(header + 8), u64_at(header + 32));
                for entry in (offset..offset + size).step_by(16) {
                    match u64_at(entry) {
                        0 => break,
                        1 => elf.needed += 1,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    elf
}

/// `qemu-aarch64`, or `None` (with a line on stderr) outside CI when it is missing.
fn qemu_aarch64() -> Option<PathBuf> {
    match ecs_drift_tests::path_program("qemu-aarch64") {
        Some(qemu) => Some(qemu),
        None if ecs_drift_tests::terraform::in_ci() => {
            panic!("qemu-aarch64 is missing: apt-get install -y qemu-user (.ci/run does)")
        }
        None => {
            let _ = writeln!(
                std::io::stderr(),
                "skipped (CI=true makes this a failure): qemu-aarch64 is missing: apt-get install -y qemu-user"
            );
            None
        }
    }
}

/// A command that runs `program` of `platform` from the bundle: natively, or under qemu.
fn command_for(platform: &str, program: &Path, qemu: Option<&Path>) -> std::process::Command {
    match (platform, qemu) {
        ("linux-arm64", Some(qemu)) => {
            let mut command = sealed_command(qemu);
            command.arg(program);
            command
        }
        _ => sealed_command(program),
    }
}

#[test]
fn the_linux_programs_are_static_for_their_machine() {
    let Some(bundle) = static_bundle() else {
        return;
    };
    // EM_X86_64 is 62, EM_AARCH64 183 (the gABI's e_machine list).
    for (platform, machine) in [("linux-x86_64", 62), ("linux-arm64", 183)] {
        for program in PROGRAMS {
            let path = bundle.join("bin").join(platform).join(program);
            assert_eq!(
                read_elf(&path),
                Elf {
                    machine,
                    interpreter: false,
                    needed: 0
                },
                "{platform}/{program} must be static: no loader, no shared library"
            );
        }
    }
    // And the test above can tell: this build's own programs (glibc) are dynamic.
    let dynamic = read_elf(&workspace_binary("container_definition"));
    assert!(dynamic.interpreter && dynamic.needed > 0, "{dynamic:?}");
}

/// One real query for each program, natively (linux-x86_64) and under qemu (linux-arm64):
/// `--version`, the lookup against moto, the two pure programs on their `--help` example.
#[test]
fn the_static_programs_run_natively_and_under_qemu() {
    let Some(bundle) = static_bundle() else {
        return;
    };
    let qemu = qemu_aarch64();
    let moto = Moto::start();
    moto.create_service("prod", "web");
    moto.ecs_deploy("prod", "web", "app", "example/app:2");
    let version = env!("CARGO_PKG_VERSION");
    for platform in STATIC_PLATFORMS {
        if platform == "linux-arm64" && qemu.is_none() {
            continue;
        }
        let program = |name: &str| bundle.join("bin").join(platform).join(name);
        for name in PROGRAMS {
            let mut command = command_for(platform, &program(name), qemu.as_deref());
            command.arg("--version");
            let run = run_command(command, b"");
            assert_eq!(
                run.stdout,
                format!("{name} {version}\n"),
                "{platform}: {run:#?}"
            );
        }

        // The lookup: the AWS SDK, its TLS stack and the credential chain, against moto.
        let mut lookup = command_for(platform, &program("live_task_lookup"), qemu.as_deref());
        lookup
            .env("AWS_ENDPOINT_URL", moto.endpoint())
            .env("AWS_MAX_ATTEMPTS", "1");
        let query = format!(
            r#"{{"cluster": "prod", "service": "web", "max_attempts": "1", "module_version": "{version}"}}"#
        );
        let found = run_command(lookup, query.as_bytes()).assert_success();
        assert_eq!(found["found"], "true", "{platform}: {found:?}");
        assert_eq!(found["revision"], "2", "{platform}: {found:?}");
        assert!(
            found["images"]
                .as_str()
                .unwrap_or_default()
                .contains("example/app:2"),
            "{platform}: {found:?}"
        );

        let containers = run_command(
            command_for(platform, &program("container_definition"), qemu.as_deref()),
            br#"{"container_definitions": "[{\"name\":\"app\",\"image\":\"nginx:stable\"}]", "live_images": "{\"app\":\"nginx:1.27\"}", "network_mode": "awsvpc"}"#,
        )
        .assert_success();
        assert!(
            containers["container_definitions"]
                .as_str()
                .unwrap_or_default()
                .contains("nginx:1.27"),
            "{platform}: {containers:?}"
        );

        let selected = run_command(
            command_for(platform, &program("task_definition_selector"), qemu.as_deref()),
            br#"{"desired_task_definition": "{\"family\":\"web\",\"containerDefinitions\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]}", "live_task_definition": "{\"family\":\"web\",\"containerDefinitions\":[{\"name\":\"app\",\"image\":\"nginx:1.26\"}]}", "live_task_definition_arn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7"}"#,
        )
        .assert_success();
        assert_eq!(selected["changed"], "true", "{platform}: {selected:?}");
    }
}

#[test]
fn the_bundle_carries_its_version_and_checksums_that_verify() {
    let Some(bundle) = static_bundle() else {
        return;
    };
    let version = std::fs::read_to_string(bundle.join("VERSION")).expect("VERSION");
    assert_eq!(version, format!("{}\n", env!("CARGO_PKG_VERSION")));
    let sums = std::fs::read_to_string(bundle.join("SHA256SUMS")).expect("SHA256SUMS");
    for file in [
        "VERSION",
        "README.md",
        "terraform-module/service.tf",
        "bin/live_task_lookup",
        "bin/linux-x86_64/live_task_lookup",
        "bin/linux-arm64/task_definition_selector",
    ] {
        assert!(
            sums.lines()
                .any(|line| line.ends_with(&format!("  {file}"))),
            "SHA256SUMS lacks {file}:\n{sums}"
        );
    }
    let readme = std::fs::read_to_string(bundle.join("README.md")).expect("README.md");
    assert!(readme.contains("sha256sum -c SHA256SUMS"), "{readme}");

    // As the README says: every line OK; and a file changed after the fact is caught.
    let verify = |dir: &Path| {
        let mut command = sealed_command("sha256sum");
        command.args(["-c", "SHA256SUMS"]).current_dir(dir);
        run_command(command, b"")
    };
    let run = verify(bundle);
    assert_eq!(run.status, Some(0), "{run:#?}");
    assert_eq!(run.stdout.lines().count(), sums.lines().count(), "{run:#?}");
    let copy = tempfile::tempdir().expect("temporary directory");
    ecs_drift_tests::terraform::copy_tree(bundle, copy.path());
    std::fs::write(
        copy.path().join("terraform-module/service.tf"),
        "# changed\n",
    )
    .expect("edit");
    let run = verify(copy.path());
    assert_ne!(run.status, Some(0), "{run:#?}");
    assert!(
        run.stdout.contains("terraform-module/service.tf: FAILED"),
        "{run:#?}"
    );
}

/// Through the launcher, this machine gets its static build.
#[test]
fn the_launcher_runs_the_static_build_of_this_machine() {
    if std::env::consts::ARCH != "x86_64" {
        return;
    }
    let Some(bundle) = static_bundle() else {
        return;
    };
    let run = ecs_drift_tests::run(
        bundle.join("bin/task_definition_selector"),
        &["--version"],
        "",
    );
    assert_eq!(
        run.stdout,
        format!("task_definition_selector {}\n", env!("CARGO_PKG_VERSION")),
        "{run:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The darwin builds: cross-built by `scripts/dist` without a macOS SDK (the frameworks' text stubs
// in scripts/macos-frameworks/), and checked here as a Mac's loader would see them. They cannot
// run here.

const DARWIN_PLATFORMS: [&str; 2] = ["darwin-x86_64", "darwin-arm64"];
const DARWIN_TARGETS: [&str; 2] = ["x86_64-apple-darwin", "aarch64-apple-darwin"];

/// What every Mac has: libSystem; libiconv and the libcharset it brings, which Rust's standard
/// library links on Apple platforms (the libc crate); and the two frameworks the lookup reads the
/// keychains' trust settings through (rustls-native-certs, security-framework).
const LIB_SYSTEM: &str = "/usr/lib/libSystem.B.dylib";
const LIBS_OF_RUST: [&str; 2] = ["/usr/lib/libcharset.1.dylib", "/usr/lib/libiconv.2.dylib"];
const SECURITY: &str = "/System/Library/Frameworks/Security.framework/Versions/A/Security";
const CORE_FOUNDATION: &str =
    "/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation";

fn darwin_bundle() -> Option<&'static Path> {
    static BUNDLE: std::sync::OnceLock<Option<(tempfile::TempDir, PathBuf)>> =
        std::sync::OnceLock::new();
    BUNDLE
        .get_or_init(|| cross_built("darwin", &DARWIN_TARGETS, &DARWIN_PLATFORMS))
        .as_ref()
        .map(|(_, out)| out.as_path())
}

/// What a Mach-O program says of itself: its CPU, the libraries it loads (LC_LOAD_DYLIB and the
/// like) and, when it has one (LC_CODE_SIGNATURE), whether its signature is ad hoc and every page
/// hash in its code directory matches the file.
#[derive(Debug)]
struct MachO {
    cpu: object::macho::CpuType,
    dylibs: Vec<String>,
    signature: Option<Signature>,
}

#[derive(Debug, PartialEq)]
struct Signature {
    ad_hoc: bool,
    pages_match: bool,
}

fn read_macho(path: &Path) -> MachO {
    use object::macho;
    use object::macho::MachHeader64;
    use object::read::macho::{LoadCommandVariant, MachHeader};
    let data = std::fs::read(path).expect("read the program");
    let header = MachHeader64::<object::Endianness>::parse(&*data, 0)
        .unwrap_or_else(|error| panic!("{} is no 64-bit Mach-O file: {error}", path.display()));
    let endian = header.endian().expect("endianness");
    let mut commands = header
        .load_commands(endian, &*data, 0)
        .expect("load commands");
    let mut program = MachO {
        cpu: header.cputype(endian),
        dylibs: Vec::new(),
        signature: None,
    };
    while let Some(command) = commands.next().expect("a load command") {
        match command.variant().expect("a known load command") {
            LoadCommandVariant::Dylib(dylib) if command.cmd() != macho::LC_ID_DYLIB => {
                let name = command
                    .string(endian, dylib.dylib.name)
                    .expect("the library's name");
                program
                    .dylibs
                    .push(String::from_utf8_lossy(name).into_owned());
            }
            LoadCommandVariant::LinkeditData(linkedit)
                if command.cmd() == macho::LC_CODE_SIGNATURE =>
            {
                let offset = linkedit.dataoff.get(endian) as usize;
                let size = linkedit.datasize.get(endian) as usize;
                program.signature = Some(read_signature(&data, offset, size));
            }
            _ => {}
        }
    }
    program
}

/// The embedded signature: a SuperBlob of blobs, big endian, whose CodeDirectory (slot 0) holds the
/// flags (CS_ADHOC = 2) and one hash per page of the file up to its code limit (Apple's
/// xnu, osfmk/kern/cs_blobs.h: CSMAGIC_EMBEDDED_SIGNATURE 0xfade0cc0, CSMAGIC_CODEDIRECTORY
/// 0xfade0c02, CS_HASHTYPE_SHA256 2).
fn read_signature(data: &[u8], offset: usize, size: usize) -> Signature {
    use sha2::Digest;
    let blob = &data[offset..offset + size];
    let u32_at = |bytes: &[u8], at: usize| {
        u32::from_be_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
    };
    assert_eq!(
        u32_at(blob, 0),
        0xfade_0cc0,
        "an embedded signature SuperBlob"
    );
    let count = u32_at(blob, 8) as usize;
    let directory = (0..count)
        .find(|index| u32_at(blob, 12 + index * 8) == 0)
        .map(|index| &blob[u32_at(blob, 16 + index * 8) as usize..])
        .expect("a CodeDirectory in slot 0");
    assert_eq!(u32_at(directory, 0), 0xfade_0c02, "a CodeDirectory");
    let flags = u32_at(directory, 12);
    let hash_offset = u32_at(directory, 16) as usize;
    let code_slots = u32_at(directory, 28) as usize;
    let code_limit = u32_at(directory, 32) as usize;
    let (hash_size, hash_type, page_size) = (
        directory[36] as usize,
        directory[37],
        1usize << directory[39],
    );
    assert_eq!((hash_size, hash_type), (32, 2), "SHA-256 page hashes");
    let pages_match = code_slots == code_limit.div_ceil(page_size)
        && (0..code_slots).all(|slot| {
            let page = &data[slot * page_size..((slot + 1) * page_size).min(code_limit)];
            let stored = &directory[hash_offset + slot * 32..hash_offset + (slot + 1) * 32];
            sha2::Sha256::digest(page).as_slice() == stored
        });
    Signature {
        ad_hoc: flags & 0x2 != 0,
        pages_match,
    }
}

/// Each darwin program is a Mach-O file for its CPU that loads only what every Mac has, and the
/// arm64 ones carry the ad-hoc signature Apple silicon needs to run them, its page hashes those
/// of the file as written.
#[test]
fn the_darwin_programs_load_only_what_every_mac_has_and_arm64_is_signed() {
    let Some(bundle) = darwin_bundle() else {
        return;
    };
    for platform in DARWIN_PLATFORMS {
        for program in PROGRAMS {
            let path = bundle.join("bin").join(platform).join(program);
            let macho = read_macho(&path);
            let cpu = match platform {
                "darwin-arm64" => object::macho::CPU_TYPE_ARM64,
                _ => object::macho::CPU_TYPE_X86_64,
            };
            assert_eq!(macho.cpu, cpu, "{platform}/{program}: {macho:?}");
            let frameworks: &[&str] = match program {
                "live_task_lookup" => &[CORE_FOUNDATION, SECURITY],
                _ => &[],
            };
            let dylibs: Vec<&str> = macho.dylibs.iter().map(String::as_str).collect();
            for needed in frameworks.iter().chain([&LIB_SYSTEM]) {
                assert!(dylibs.contains(needed), "{platform}/{program}: {macho:?}");
            }
            for dylib in &dylibs {
                assert!(
                    frameworks.contains(dylib)
                        || *dylib == LIB_SYSTEM
                        || LIBS_OF_RUST.contains(dylib),
                    "{platform}/{program} loads {dylib}, which not every Mac has: {macho:?}"
                );
            }
            if platform == "darwin-arm64" {
                assert_eq!(
                    macho.signature,
                    Some(Signature {
                        ad_hoc: true,
                        pages_match: true
                    }),
                    "{platform}/{program}"
                );
            }
        }
    }
}
