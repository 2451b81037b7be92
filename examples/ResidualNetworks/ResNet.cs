using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ResidualNetworks;

/// <summary>
/// The ResNet-20 layout (He et al. 2016) for 28 × 28 grey images: a 3 × 3 stem, three stages of three basic
/// blocks with widths w, 2w, 4w (stride 2 at the start of stages 2 and 3), global average pooling and a linear
/// classifier. With <c>residual = false</c> the shortcuts are removed (the paper's "without residual connections").
/// </summary>
internal sealed class ResNet : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> _stem;
    private readonly Module<Tensor, Tensor> _blocks;
    private readonly Module<Tensor, Tensor> _head;

    public ResNet(int width, bool residual, int blocksPerStage = 3, int classes = 10) : base(residual ? "resnet" : "plain")
    {
        _stem = Sequential(Conv2d(1, width, 3, padding: 1, bias: false), BatchNorm2d(width), ReLU());
        var blocks = new List<(string, Module<Tensor, Tensor>)>();
        int channels = width;
        for (int stage = 0; stage < 3; stage++)
        {
            int outChannels = width << stage;
            for (int b = 0; b < blocksPerStage; b++)
            {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                blocks.Add(($"s{stage}b{b}", new BasicBlock(channels, outChannels, stride, residual)));
                channels = outChannels;
            }
        }

        _blocks = Sequential(blocks);
        _head = Sequential(AdaptiveAvgPool2d(1), Flatten(), Linear(channels, classes));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => _head.call(_blocks.call(_stem.call(input)));

    private sealed class BasicBlock : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> _body;
        private readonly Module<Tensor, Tensor>? _shortcut;
        private readonly bool _residual;

        public BasicBlock(int inChannels, int outChannels, int stride, bool residual) : base("block")
        {
            _residual = residual;
            _body = Sequential(
                Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false), BatchNorm2d(outChannels), ReLU(),
                Conv2d(outChannels, outChannels, 3, padding: 1, bias: false), BatchNorm2d(outChannels));
            if (residual && (stride != 1 || inChannels != outChannels))
            {
                _shortcut = Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), BatchNorm2d(outChannels));
            }

            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            Tensor output = _body.call(input);
            if (_residual)
            {
                output = output + (_shortcut is null ? input : _shortcut.call(input));
            }

            return functional.relu(output);
        }
    }
}
