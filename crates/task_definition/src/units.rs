//! Task-level sizes: CPU units and MiB, and the units RegisterTaskDefinition converts.

/// The unit of a task-level size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// CPU units; 1024 units = 1 vCPU.
    Cpu,
    /// MiB; 1024 MiB = 1 GB.
    Memory,
}

/// A task-level size in CPU units or MiB: `"256"`, `"1 vCPU"`, `"0.25 vcpu"`, `"1 GB"`, `"1GB"`.
/// (RegisterTaskDefinition API reference: cpu "as an integer using CPU units ... or as a string
/// using vCPUs"; memory "as an integer using MiB ... or as a string using GB")
pub(crate) fn size_in_units(text: &str, unit: Unit) -> Option<i64> {
    let text = text.trim();
    if let Ok(number) = text.parse::<i64>() {
        return (number > 0).then_some(number);
    }
    let lower = text.to_ascii_lowercase();
    let suffix = match unit {
        Unit::Cpu => "vcpu",
        Unit::Memory => "gb",
    };
    let number: f64 = lower.strip_suffix(suffix)?.trim().parse().ok()?;
    let units = number * 1024.0;
    (number.is_finite() && units > 0.0 && units.fract() == 0.0 && units < 1.0e12)
        .then_some(units as i64)
}
