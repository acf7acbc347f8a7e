using Workflows.CrisisCare.Bars;
using ExecutionStartedEvent = DurableTask.Core.History.ExecutionStartedEvent;
using Google.Protobuf;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Protobuf;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker.Grpc;
using Workflows.CrisisCare;
using Workflows.DistrictDirect;
using Workflows.Ecss;

namespace Workflows.Tests.Replay;

/// <summary>
/// Every recorded history (cases finished and cases in flight) replayed against the current orchestrator code, as the
/// worker replays it after a deploy: a change that would make a case in flight take another step than its history
/// records (a non-determinism failure, which strands the case) fails here, before it ships.
/// </summary>
public sealed class ReplayTests
{
    public static TheoryData<string> Histories => new(RecordedHistories.Names);

    [Theory]
    [MemberData(nameof(Histories))]
    public void RecordedHistoryReplaysOnTheCurrentCode(string name)
    {
        var events = RecordedHistories.Load(name);
        var started = events.OfType<ExecutionStartedEvent>().Single();
        var request = new OrchestratorRequest { InstanceId = started.OrchestrationInstance.InstanceId, ExecutionId = started.OrchestrationInstance.ExecutionId };
        request.PastEvents.AddRange(events.Select(ProtobufUtils.ToHistoryEventProto));

        var response = OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(Run(started.Name, request.ToByteString().ToBase64())));

        var failed = response.Actions.Select(a => a.CompleteOrchestration).Where(c => c?.OrchestrationStatus == OrchestrationStatus.Failed).ToList();
        failed.Should().BeEmpty($"{name} ({started.Name}, version '{started.Version}') must replay on this code: " +
            string.Join("; ", failed.Select(f => $"{f.FailureDetails?.ErrorType}: {f.FailureDetails?.ErrorMessage}")));
    }

    [Fact]
    public void EveryOrchestratorHasARecordedHistory()
    {
        var recorded = RecordedHistories.Names.Select(n => RecordedHistories.Load(n).OfType<ExecutionStartedEvent>().Single().Name).ToHashSet();
        WorkflowCatalog.Orchestrators.Select(o => o.Name).Should().BeSubsetOf(recorded);
    }

    private static string Run(string orchestrator, string request) => orchestrator switch
    {
        CrisisCaseWorkflow.Name => GrpcOrchestrationRunner.LoadAndRun<CrisisCaseStart, string>(request, CrisisCaseWorkflow.RunAsync),
        CaseClosureWorkflow.Name => GrpcOrchestrationRunner.LoadAndRun<CaseClosureStart, string>(request, CaseClosureWorkflow.RunAsync),
        HcaDispatchWorkflow.Name => GrpcOrchestrationRunner.LoadAndRun<DispatchStart, DispatchResult>(request, HcaDispatchWorkflow.RunAsync),
        DischargeReferralWorkflow.Name => GrpcOrchestrationRunner.LoadAndRun<DischargeReferralStart, string>(request, DischargeReferralWorkflow.RunAsync),
        BereavementFollowUpWorkflow.Name => GrpcOrchestrationRunner.LoadAndRun<BereavementFollowUpStart, int>(request, BereavementFollowUpWorkflow.RunAsync),
        CarerCheckInWorkflow.Name => GrpcOrchestrationRunner.LoadAndRun<CarerCheckInStart, int>(request, CarerCheckInWorkflow.RunAsync),
        BarsResponseWorkflow.Name => GrpcOrchestrationRunner.LoadAndRun<BarsResponseStart, bool>(request, BarsResponseWorkflow.RunAsync),
        _ => throw new InvalidOperationException($"No orchestrator {orchestrator}"),
    };
}
