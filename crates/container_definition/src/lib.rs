//! `container_definition`: the container definitions to register, each container that follows
//! deployments keeping the image the service runs.

use std::collections::{BTreeMap, BTreeSet};

use external_protocol::{Kind, Output, Program, Query, QueryKey, ResultKey, suggest};
use task_definition::{Map, NetworkMode};

// The modules lie on floors: each uses only modules of the floors below it, and none uses this
// file, which holds the program (the test at its end checks it).
//
// 0. error: what the program fails with.
// 1. live_values: the values a deploy pipeline owns, kept live.
mod error;
pub mod live_values;

pub use error::Error;
use live_values::{Field, container_name};

pub static PROGRAM: Program = Program {
    name: "container_definition",
    version: env!("CARGO_PKG_VERSION"),
    summary: "Builds the container definitions of an ECS task definition, keeping the live image of \
              every container that follows deployments.",
    description: "A deploy tool (ecs-deploy, CodeDeploy, ecspresso, a CI job) ships images outside \
                  Terraform; if Terraform registered its own image again, the next apply would roll the \
                  service back. This program takes the container definitions as written in Terraform \
                  (each `image` being the bootstrap image for the first apply), replaces the image of \
                  every container that follows deployments with the image the service runs now, \
                  validates every field strictly (an unknown key is an error that suggests the nearest \
                  field: the AWS provider would silently drop it), and writes them in the form ECS \
                  itself returns, so the AWS provider sees no difference after registration.\n\n\
                  A container keeps its live image when it is listed in `live_image_containers` \
                  (default: every container) and the service runs it. It uses its configured image on \
                  the first apply, when it is new, when it is not listed (a sidecar pinned by \
                  Terraform), or when `force_bootstrap_image` is \"true\".\n\n\
                  The environment variables and Docker labels a deploy pipeline sets (a release \
                  version such as DD_VERSION) follow the service the same way when named in \
                  `live_environment` and `live_docker_labels`: for a named key the value the service \
                  runs wins, and the configured value is the bootstrap value (first apply, new \
                  container, a key the live container lacks, or `force_bootstrap_image`). Every \
                  other key is Terraform's. Only a container that follows deployments may name keys.",
    query: &[
        QueryKey {
            name: "container_definitions",
            kind: Kind::Json,
            required: true,
            default: None,
            help: "JSON array of container definitions in the ECS API's camelCase, exactly what \
                   aws_ecs_task_definition.container_definitions takes; each `image` is the bootstrap \
                   image. `environment` and `secrets` may also be objects ({\"NAME\": \"value\"}).",
        },
        QueryKey {
            name: "live_images",
            kind: Kind::Json,
            required: false,
            default: Some("{}"),
            help: "JSON object container name -> image the service runs now (live_task_lookup's \
                   `images`); {} on the first apply.",
        },
        QueryKey {
            name: "live_image_containers",
            kind: Kind::Json,
            required: false,
            default: None,
            help: "JSON array of the names of the containers whose image follows deployments; \
                   absent or \"\": every container follows; []: none does. A \
                   container left out always uses its configured image. A name that is not a \
                   container is an error.",
        },
        QueryKey {
            name: "force_bootstrap_image",
            kind: Kind::Boolean,
            required: false,
            default: Some("false"),
            help: "\"true\" uses the configured image for every following container even when the \
                   service runs another; when that image is already live, nothing changes.",
        },
        QueryKey {
            name: "network_mode",
            kind: Kind::String,
            required: false,
            default: Some("bridge"),
            help: "The task's network mode: bridge, host, awsvpc or none. It decides which host \
                   ports are valid and what ECS fills in.",
        },
        QueryKey {
            name: "live_environment",
            kind: Kind::Json,
            required: false,
            default: Some("{}"),
            help: "JSON object container name -> array of the environment variable names the \
                   deploy pipeline owns (e.g. {\"app\": [\"DD_VERSION\"]}): each keeps the value \
                   the service runs. A container that is not in container_definitions or does not \
                   follow deployments, a name that is not a valid environment variable name \
                   (letters, digits, _; not starting with a digit) and a name the container sets in \
                   `secrets` are errors.",
        },
        QueryKey {
            name: "live_docker_labels",
            kind: Kind::Json,
            required: false,
            default: Some("{}"),
            help: "JSON object container name -> array of the Docker label keys the deploy \
                   pipeline owns (e.g. {\"app\": [\"com.datadoghq.tags.version\"]}); checked as \
                   live_environment is. A valid key has letters, digits, '.', '-', '_' and '/', and \
                   starts and ends with a letter or digit.",
        },
        QueryKey {
            name: "live_environment_values",
            kind: Kind::Json,
            required: false,
            default: Some("{}"),
            help: "JSON object container name -> {NAME: value}: the values the service runs of the \
                   names in live_environment (live_task_lookup's `environment`); {} on the first \
                   apply.",
        },
        QueryKey {
            name: "live_docker_label_values",
            kind: Kind::Json,
            required: false,
            default: Some("{}"),
            help: "JSON object container name -> {key: value}: the live values of the keys in \
                   live_docker_labels (live_task_lookup's `docker_labels`); {} on the first apply.",
        },
    ],
    result: &[
        ResultKey {
            name: "container_definitions",
            help: "JSON array of the container definitions in the form ECS returns them (defaults \
                   filled, environment and secrets sorted), ready for aws_ecs_task_definition.",
        },
        ResultKey {
            name: "images",
            help: "JSON object container name -> the image chosen.",
        },
        ResultKey {
            name: "image_sources",
            help: "JSON object container name -> why that image: \"live\" (kept from the running \
                   service), \"bootstrap\" (configured image: first apply or new container), \
                   \"forced\" (configured image by force_bootstrap_image) or \"pinned\" (configured \
                   image: the container does not follow deployments).",
        },
        ResultKey {
            name: "environment_sources",
            help: "JSON object container name -> {NAME: source} for each name in live_environment: \
                   \"live\" (the value the service runs), \"bootstrap\" (the configured value: \
                   first apply, new container, or a name the live container lacks), \"forced\" (the \
                   configured value by force_bootstrap_image) or \"absent\" (no value on either \
                   side: the variable stays unset).",
        },
        ResultKey {
            name: "docker_label_sources",
            help: "JSON object container name -> {key: source} for each key in \
                   live_docker_labels, as environment_sources.",
        },
    ],
    example: "echo '{\"container_definitions\": \"[{\\\"name\\\":\\\"app\\\",\\\"image\\\":\\\"nginx:stable\\\"}]\",\n       \
              \"live_images\": \"{\\\"app\\\":\\\"nginx:1.27\\\"}\", \"network_mode\": \"awsvpc\"}' \\\n  | container_definition",
};

/// Where a container's image comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSource {
    Live,
    Bootstrap,
    Forced,
    Pinned,
}

impl ImageSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ImageSource::Live => "live",
            ImageSource::Bootstrap => "bootstrap",
            ImageSource::Forced => "forced",
            ImageSource::Pinned => "pinned",
        }
    }
}

/// The checked query.
#[derive(Debug)]
pub struct Request {
    pub containers: Vec<Map>,
    pub live_images: BTreeMap<String, String>,
    /// `None`: every container follows.
    pub followers: Option<BTreeSet<String>>,
    pub force_bootstrap_image: bool,
    pub network_mode: NetworkMode,
    /// The environment variables and Docker labels that follow the service, per container.
    pub live_environment: live_values::Named,
    pub live_docker_labels: live_values::Named,
    pub live_environment_values: live_values::Values,
    pub live_docker_label_values: live_values::Values,
}

impl Request {
    pub fn from_query(query: &Query) -> Result<Self, Error> {
        let network_mode = match query.optional_string("network_mode") {
            Some(text) => text
                .parse()
                .map_err(|error: task_definition::Error| Error::NetworkMode(error.to_string()))?,
            None => NetworkMode::default(),
        };
        let definitions: serde_json::Value =
            query
                .json("container_definitions")?
                .ok_or(external_protocol::Error::MissingKey {
                    key: "container_definitions",
                })?;
        // Each field's rules and what RegisterTaskDefinition refuses of containers in this
        // network mode, in one step.
        let containers = task_definition::parse_container_definitions(
            definitions,
            "container_definitions",
            network_mode,
        )?;
        let live_images = read_live_images(query)?;
        let followers = match query.json::<Vec<String>>("live_image_containers")? {
            None => None,
            Some(names) => {
                let known: Vec<&str> = containers.iter().filter_map(container_name).collect();
                if let Some(name) = names.iter().find(|name| !known.contains(&name.as_str())) {
                    let hint = match suggest(name, known.iter().copied()) {
                        Some(closest) => format!("did you mean `{closest}`?"),
                        None => format!("containers: {}", known.join(", ")),
                    };
                    return Err(Error::UnknownFollower {
                        name: name.clone(),
                        hint,
                    });
                }
                Some(names.into_iter().collect())
            }
        };
        let follows = |name: &str| {
            followers
                .as_ref()
                .is_none_or(|followers: &BTreeSet<String>| followers.contains(name))
        };
        let live_environment =
            live_values::read_named(query, Field::Environment, &containers, &follows)?;
        let live_docker_labels =
            live_values::read_named(query, Field::DockerLabels, &containers, &follows)?;
        Ok(Self {
            live_environment_values: live_values::read_values(query, Field::Environment)?,
            live_docker_label_values: live_values::read_values(query, Field::DockerLabels)?,
            live_environment,
            live_docker_labels,
            containers,
            live_images,
            followers,
            force_bootstrap_image: query.boolean("force_bootstrap_image")?,
            network_mode,
        })
    }

    /// Where the image of the container `name` comes from, and the image.
    fn choose_image<'a>(&'a self, name: &str, configured: &'a str) -> (ImageSource, &'a str) {
        let follows = self
            .followers
            .as_ref()
            .is_none_or(|followers| followers.contains(name));
        if !follows {
            return (ImageSource::Pinned, configured);
        }
        if self.force_bootstrap_image {
            return (ImageSource::Forced, configured);
        }
        match self.live_images.get(name) {
            Some(live) => (ImageSource::Live, live),
            None => (ImageSource::Bootstrap, configured),
        }
    }
}

fn read_live_images(query: &Query) -> Result<BTreeMap<String, String>, Error> {
    let images: BTreeMap<String, serde_json::Value> =
        query.json("live_images")?.unwrap_or_default();
    images
        .into_iter()
        .map(|(name, value)| match value {
            serde_json::Value::String(image) if !image.trim().is_empty() => Ok((name, image)),
            other => Err(Error::BadLiveImage {
                name,
                value: other.to_string(),
            }),
        })
        .collect()
}

/// The program: the checked query in, the container definitions with their images out.
pub fn run(query: &Query) -> Result<Output, Error> {
    let mut request = Request::from_query(query)?;
    let mut images = BTreeMap::new();
    let mut sources = BTreeMap::new();
    let mut environment_sources = BTreeMap::new();
    let mut docker_label_sources = BTreeMap::new();
    let mut containers = std::mem::take(&mut request.containers);
    for container in &mut containers {
        let name = container_name(container).unwrap_or_default().to_string();
        let configured = container
            .get("image")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        let (source, image) = request.choose_image(&name, configured);
        let image = image.to_string();
        images.insert(name.to_string(), image.clone());
        sources.insert(name.to_string(), source.as_str());
        container.insert("image".into(), image.into());
        let forced = request.force_bootstrap_image;
        for (field, named, values, out) in [
            (
                Field::Environment,
                &request.live_environment,
                &request.live_environment_values,
                &mut environment_sources,
            ),
            (
                Field::DockerLabels,
                &request.live_docker_labels,
                &request.live_docker_label_values,
                &mut docker_label_sources,
            ),
        ] {
            if let Some(names) = named.get(&name) {
                let live = values.get(&name);
                out.insert(
                    name.clone(),
                    live_values::apply(container, field, names, live, forced),
                );
            }
        }
    }
    let containers = task_definition::register_form(containers, request.network_mode);
    let mut output = Output::new();
    output.insert_json("container_definitions", &containers);
    // Thousands of small allocations: see `discard`.
    external_protocol::discard(containers);
    output
        .insert_json("images", &images)
        .insert_json("image_sources", &sources)
        .insert_json("environment_sources", &environment_sources)
        .insert_json("docker_label_sources", &docker_label_sources);
    Ok(output)
}

#[cfg(test)]
mod tests {
    /// The floors of the comment above, lowest first, with each module's source.
    const FLOORS: &[floors::Floor] = &[
        &[("error", include_str!("error.rs"))],
        &[("live_values", include_str!("live_values.rs"))],
    ];

    #[test]
    fn each_module_uses_only_modules_on_the_floors_below_it() {
        let found = floors::violations(include_str!("lib.rs"), FLOORS);
        assert!(found.is_empty(), "{found:#?}");
    }
}
