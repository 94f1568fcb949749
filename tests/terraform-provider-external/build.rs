//! Generates the gRPC server of the plugin protocol's subset in `proto/`. Needs `protoc`: the
//! workspace's `.cargo/config.toml` points `PROTOC` at the one `scripts/bootstrap-venv` installs.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tonic_prost_build::configure()
        .build_client(false)
        .compile_protos(
            &["proto/tfplugin5.proto", "proto/grpc_controller.proto"],
            &["proto"],
        )?;
    Ok(())
}
