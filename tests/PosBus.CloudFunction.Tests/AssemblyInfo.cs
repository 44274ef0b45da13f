// The cloud tests share one Postgres and one function and some of them stop the database: run serially.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
