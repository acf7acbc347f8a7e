global using Workflows.Tests.Fixtures;
