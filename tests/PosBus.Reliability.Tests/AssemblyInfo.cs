// One test at a time: the chaos run takes the shared local cloud away, and the latency figures need the cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
