//! JSON Schemas (draft 2020-12) for tool inputs and outputs.

use std::{
    any::TypeId,
    collections::HashMap,
    sync::{Arc, LazyLock, RwLock},
};

use rmcp::model::JsonObject;
use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings};
use serde_json::{Value, json};

/// The dialect every input schema declares, as MCP requires of JSON Schema 2020-12.
pub(crate) const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Settings that write every enum and struct where it is used, so clients that do not resolve
/// `$ref` still see allowed values and descriptions. Only recursive types keep a `$ref` into `$defs`.
fn inline(mut settings: SchemaSettings) -> SchemaSettings {
    settings.inline_subschemas = true;
    settings
}

/// Builds an object schema, one property at a time, sharing `$defs` (of recursive types only)
/// between properties.
pub(crate) struct ObjectSchema {
    generator: SchemaGenerator,
    properties: serde_json::Map<String, Value>,
    required: Vec<String>,
}

impl ObjectSchema {
    pub fn new() -> Self {
        Self {
            generator: inline(SchemaSettings::draft2020_12()).into_generator(),
            properties: serde_json::Map::new(),
            required: Vec::new(),
        }
    }

    pub fn property<T: JsonSchema>(
        &mut self,
        name: &str,
        description: &str,
        required: bool,
        default: Option<Value>,
    ) {
        let mut schema: Value = self.generator.subschema_for::<T>().to_value();
        if let Value::Bool(true) = schema {
            schema = json!({});
        }
        if let Value::Object(map) = &mut schema {
            map.insert("description".into(), description.into());
            if let Some(default) = default {
                map.insert("default".into(), default);
            }
        }
        self.properties.insert(name.to_owned(), schema);
        if required {
            self.required.push(name.to_owned());
        }
    }

    pub fn property_names(&self) -> impl Iterator<Item = &String> {
        self.properties.keys()
    }

    pub fn finish(mut self) -> JsonObject {
        let mut root = JsonObject::new();
        root.insert("$schema".into(), DRAFT_2020_12.into());
        root.insert("type".into(), "object".into());
        root.insert("properties".into(), Value::Object(self.properties));
        root.insert("required".into(), self.required.into());
        root.insert("additionalProperties".into(), false.into());
        let definitions = self.generator.take_definitions(true);
        if !definitions.is_empty() {
            root.insert("$defs".into(), Value::Object(definitions));
        }
        root
    }
}

/// The output schema of `T`, and whether values are wrapped as `{"result": value}` because MCP
/// wants structured content to be an object.
#[derive(Clone)]
pub(crate) struct OutputSchema {
    pub schema: Arc<JsonObject>,
    pub wrapped: bool,
}

static OUTPUT_SCHEMAS: LazyLock<RwLock<HashMap<TypeId, OutputSchema>>> =
    LazyLock::new(Default::default);

pub(crate) fn output_schema<T: JsonSchema + 'static>() -> OutputSchema {
    let id = TypeId::of::<T>();
    if let Some(found) = OUTPUT_SCHEMAS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(&id)
    {
        return found.clone();
    }
    let schema = compute_output_schema::<T>();
    OUTPUT_SCHEMAS
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, schema.clone());
    schema
}

fn compute_output_schema<T: JsonSchema>() -> OutputSchema {
    let generator = inline(SchemaSettings::draft2020_12().for_serialize()).into_generator();
    let schema: Schema = generator.into_root_schema_for::<T>();
    let Value::Object(mut root) = schema.to_value() else {
        return wrap(JsonObject::new());
    };
    if root.get("type") == Some(&Value::String("object".into())) {
        return OutputSchema {
            schema: Arc::new(root),
            wrapped: false,
        };
    }
    let definitions = root.remove("$defs");
    root.remove("$schema");
    let mut wrapper = wrap(root);
    if let Some(definitions) = definitions {
        Arc::make_mut(&mut wrapper.schema).insert("$defs".into(), definitions);
    }
    wrapper
}

fn wrap(inner: JsonObject) -> OutputSchema {
    let Value::Object(schema) = json!({
        "type": "object",
        "properties": { "result": inner },
        "required": ["result"],
    }) else {
        unreachable!("a json! object literal is an object")
    };
    OutputSchema {
        schema: Arc::new(schema),
        wrapped: true,
    }
}
