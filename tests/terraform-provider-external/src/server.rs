//! The provider's gRPC services: the `external` data source, and go-plugin's controller.

use tonic::{Request, Response, Status};

use crate::config::{Attr, Config};
use crate::program::{self, Failure};
use crate::proto::plugin::{Empty, grpc_controller_server::GrpcController};
use crate::proto::tfplugin5::{
    AttributePath, Diagnostic, DynamicValue, Schema, ServerCapabilities, attribute_path, configure,
    diagnostic::Severity,
    get_provider_schema, prepare_provider_config, provider_server, read_data_source,
    schema::{Attribute, Block},
    stop, validate_data_source_config,
};

/// The one data source's type name: the provider's own name.
pub const DATA_SOURCE: &str = "external";

/// The `external` provider. `stop` is raised by Terraform's Stop (on an interrupt) and ends the
/// programs that are running.
#[derive(Debug, Default)]
pub struct Provider {
    stop: tokio::sync::watch::Sender<bool>,
}

fn attribute(name: &str, kind: &str, description: &str) -> Attribute {
    Attribute {
        name: name.to_string(),
        r#type: kind.as_bytes().to_vec(),
        description: description.to_string(),
        ..Attribute::default()
    }
}

/// The schema of hashicorp/external 2.3.x's data source: `program` (required list of strings),
/// `working_dir` and `query` (optional), `result` and `id` (computed).
pub fn data_source_schema() -> Schema {
    Schema {
        version: 0,
        block: Some(Block {
            version: 0,
            attributes: vec![
                Attribute {
                    required: true,
                    ..attribute(
                        "program",
                        r#"["list","string"]"#,
                        "The program to run and its arguments; it is not run through a shell.",
                    )
                },
                Attribute {
                    optional: true,
                    ..attribute(
                        "working_dir",
                        r#""string""#,
                        "Directory the program runs in. Default: Terraform's working directory.",
                    )
                },
                Attribute {
                    optional: true,
                    ..attribute(
                        "query",
                        r#"["map","string"]"#,
                        "Strings sent to the program as one JSON object on stdin; null values are \
                         left out.",
                    )
                },
                Attribute {
                    computed: true,
                    ..attribute(
                        "result",
                        r#"["map","string"]"#,
                        "The JSON object of strings the program wrote on stdout.",
                    )
                },
                Attribute {
                    computed: true,
                    ..attribute("id", r#""string""#, "Always \"-\".")
                },
            ],
            description: "Runs a program that reads a JSON object of strings on stdin and writes \
                          one on stdout."
                .to_string(),
            ..Block::default()
        }),
    }
}

fn error(summary: &str, detail: String, attribute: Option<&str>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error.into(),
        summary: summary.to_string(),
        detail,
        attribute: attribute.map(|name| AttributePath {
            steps: vec![attribute_path::Step {
                selector: Some(attribute_path::step::Selector::AttributeName(
                    name.to_string(),
                )),
            }],
        }),
    }
}

fn decode(type_name: &str, value: Option<&DynamicValue>) -> Result<Config, Diagnostic> {
    if type_name != DATA_SOURCE {
        return Err(error(
            "Unknown Data Source",
            format!("this provider has one data source, {DATA_SOURCE}, not {type_name}"),
            None,
        ));
    }
    let bytes = value
        .map(|value| value.msgpack.as_slice())
        .unwrap_or_default();
    Config::decode(bytes).map_err(|failure| {
        error(
            "Invalid Configuration",
            format!("{failure}: a bug in Terraform or in this provider"),
            None,
        )
    })
}

/// The checks the real provider's schema makes before a read: `program` has at least one
/// element, once it is known.
pub fn validate(config: &Config) -> Vec<Diagnostic> {
    match &config.program {
        Attr::Known(elements) if elements.is_empty() => vec![error(
            "Invalid Attribute Value",
            "Attribute program list must contain at least 1 elements, got: 0".to_string(),
            Some("program"),
        )],
        _ => Vec::new(),
    }
}

fn failure_diagnostic(failure: &Failure) -> Diagnostic {
    error(failure.summary(), failure.detail(), Some("program"))
}

#[tonic::async_trait]
impl provider_server::Provider for Provider {
    async fn get_schema(
        &self,
        _: Request<get_provider_schema::Request>,
    ) -> Result<Response<get_provider_schema::Response>, Status> {
        Ok(Response::new(get_provider_schema::Response {
            provider: Some(Schema {
                version: 0,
                block: Some(Block::default()),
            }),
            data_source_schemas: [(DATA_SOURCE.to_string(), data_source_schema())]
                .into_iter()
                .collect(),
            server_capabilities: Some(ServerCapabilities::default()),
            ..get_provider_schema::Response::default()
        }))
    }

    async fn prepare_provider_config(
        &self,
        request: Request<prepare_provider_config::Request>,
    ) -> Result<Response<prepare_provider_config::Response>, Status> {
        Ok(Response::new(prepare_provider_config::Response {
            prepared_config: request.into_inner().config,
            diagnostics: Vec::new(),
        }))
    }

    async fn validate_data_source_config(
        &self,
        request: Request<validate_data_source_config::Request>,
    ) -> Result<Response<validate_data_source_config::Response>, Status> {
        let request = request.into_inner();
        let diagnostics = match decode(&request.type_name, request.config.as_ref()) {
            Ok(config) => validate(&config),
            Err(diagnostic) => vec![diagnostic],
        };
        Ok(Response::new(validate_data_source_config::Response {
            diagnostics,
        }))
    }

    async fn configure(
        &self,
        _: Request<configure::Request>,
    ) -> Result<Response<configure::Response>, Status> {
        Ok(Response::new(configure::Response::default()))
    }

    async fn read_data_source(
        &self,
        request: Request<read_data_source::Request>,
    ) -> Result<Response<read_data_source::Response>, Status> {
        let request = request.into_inner();
        let config = match decode(&request.type_name, request.config.as_ref()) {
            Ok(config) => config,
            Err(diagnostic) => {
                return Ok(Response::new(read_data_source::Response {
                    state: None,
                    diagnostics: vec![diagnostic],
                }));
            }
        };
        let program = match &config.program {
            Attr::Known(program) => program.as_slice(),
            Attr::Null | Attr::Unknown => &[],
        };
        let query = match &config.query {
            Attr::Known(query) => query.as_slice(),
            Attr::Null | Attr::Unknown => &[],
        };
        let outcome =
            program::run(program, &config.working_dir, query, self.stop.subscribe()).await;
        Ok(Response::new(match outcome {
            Ok(result) => read_data_source::Response {
                state: Some(DynamicValue {
                    msgpack: config.state(result.as_ref()),
                    json: Vec::new(),
                }),
                diagnostics: Vec::new(),
            },
            Err(failure) => read_data_source::Response {
                state: None,
                diagnostics: vec![failure_diagnostic(&failure)],
            },
        }))
    }

    async fn stop(&self, _: Request<stop::Request>) -> Result<Response<stop::Response>, Status> {
        self.stop.send_replace(true);
        Ok(Response::new(stop::Response::default()))
    }
}

/// go-plugin's controller: Shutdown ends the server, and with it the process.
#[derive(Debug)]
pub struct Controller(pub tokio::sync::watch::Sender<bool>);

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _: Request<Empty>) -> Result<Response<Empty>, Status> {
        self.0.send_replace(true);
        Ok(Response::new(Empty {}))
    }
}
