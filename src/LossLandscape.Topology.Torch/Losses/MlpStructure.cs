using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Losses;

/// <summary>
/// The layers of a <c>Sequential</c> MLP: <c>Linear</c> layers (by parameter index) and parameter-free
/// elementwise modules between them (activations), read once from the model.
/// </summary>
internal sealed class MlpStructure
{
    private MlpStructure(IReadOnlyList<Step> steps) => Steps = steps;

    public IReadOnlyList<Step> Steps { get; }

    public static MlpStructure Of(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parameterIndex = model.named_parameters().Select((p, i) => (p.name, i)).ToDictionary(p => p.name, p => p.i);
        var steps = new List<Step>();
        foreach ((string name, nn.Module child) in model.named_children())
        {
            if (child is TorchSharp.Modules.Linear)
            {
                int weight = parameterIndex[$"{name}.weight"];
                int bias = parameterIndex.TryGetValue($"{name}.bias", out int b) ? b : -1;
                steps.Add(new Step(weight, bias, null));
            }
            else if (!child.parameters().Any())
            {
                steps.Add(new Step(-1, -1, child));
            }
            else
            {
                throw new ArgumentException($"Layer '{name}' ({child.GetType().Name}) has parameters but is not Linear; batched MLP evaluation takes Linear layers and parameter-free elementwise modules only.", nameof(model));
            }
        }

        if (!steps.Any(s => s.Weight >= 0))
        {
            throw new ArgumentException("The model has no Linear layer among its direct children; pass a Sequential of Linear layers and activations.", nameof(model));
        }

        int used = steps.Sum(s => (s.Weight >= 0 ? 1 : 0) + (s.Bias >= 0 ? 1 : 0));
        if (used != parameterIndex.Count)
        {
            throw new ArgumentException("The model has parameters outside its direct Linear children.", nameof(model));
        }

        return new MlpStructure(steps);
    }

    /// <summary>A Linear layer (parameter indices; bias −1 when absent) or an elementwise module.</summary>
    internal readonly record struct Step(int Weight, int Bias, nn.Module? Elementwise);
}
