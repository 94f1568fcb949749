//! `terraform-provider-external`: started by Terraform, never by hand (see the library).

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let served = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())
        .and_then(|runtime| {
            runtime
                .block_on(terraform_provider_external::serve())
                .map_err(|error| {
                    let mut line = error.to_string();
                    let mut source = std::error::Error::source(&error);
                    while let Some(cause) = source {
                        line.push_str(": ");
                        line.push_str(&cause.to_string());
                        source = cause.source();
                    }
                    line
                })
        });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(line) => {
            let _ = writeln!(std::io::stderr(), "terraform-provider-external: {line}");
            ExitCode::FAILURE
        }
    }
}
