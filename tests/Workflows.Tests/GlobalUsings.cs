global using Microsoft.Extensions.DependencyInjection;
global using Workflows.Tests.Fixtures;
