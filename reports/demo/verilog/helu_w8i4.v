// helu_w8i4: helu activation, x fixed<8,4,RND_CONV,SAT> -> y ufixed<8,3,RND_CONV,SAT>, behavioral, latency 0 cycle(s).
// Ports carry raw bit patterns (two's complement for fixed, unsigned for ufixed). Written by helu-sim verilog.
// y = x > 0 ? x : 0, converted to the output format
`default_nettype none
module helu_w8i4 (
  input  wire [7:0] x,
  output wire [7:0] y
);
  /* verilator lint_off UNUSED */
  wire signed [7:0] xs = x;
  // pos: x (x >= 0, fixed<8,4,RND_CONV,SAT>) -> ufixed<8,3,RND_CONV,SAT>: append 1 fraction bit(s); overflow SAT
  wire signed [8:0] pos_v = {xs, 1'd0};
  wire [7:0] pos_y = pos_v[7:0];
  /* verilator lint_on UNUSED */
  assign y = x[7] ? 8'h0 : pos_y;
endmodule
`default_nettype wire
