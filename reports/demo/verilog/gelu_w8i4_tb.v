// Self-checking testbench for gelu_w8i4: 256 golden vectors from gelu_w8i4_tb.mem
// (each line {x, y} in hex), latency 0 cycle(s). Last line printed: PASS or FAIL <mismatches>.
`default_nettype none
module gelu_w8i4_tb;
  localparam W = 8, WO = 8, N = 256, LATENCY = 0;
  reg [W+WO-1:0] vectors [0:N-1];
  reg [W+WO-1:0] v;
  reg [W-1:0] x;
  wire [WO-1:0] y;
  integer i, errors;
  gelu_w8i4 dut (.x(x), .y(y));
  initial begin
    $readmemh("gelu_w8i4_tb.mem", vectors);
    errors = 0;
    for (i = 0; i < N + LATENCY; i = i + 1) begin
      if (i < N) begin
        v = vectors[i];
        x = v[W+WO-1:WO];
      end
      #1;
      if (i >= LATENCY) begin
        v = vectors[i - LATENCY];
        if (y !== v[WO-1:0]) begin
          errors = errors + 1;
          if (errors <= 10) $display("MISMATCH x=%h expected=%h got=%h", v[W+WO-1:WO], v[WO-1:0], y);
        end
      end
    end
    if (errors == 0) $display("PASS");
    else $display("FAIL %0d", errors);
    $finish;
  end
endmodule
`default_nettype wire
