#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [2, 2], instrShape = [32, 32, 8], isTransposed = true}>
#shared = #ttg.swizzled_shared<{vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
  tt.func public @gluon_gemm_2stage(%a_ptr: !tt.ptr<f16>, %b_ptr: !tt.ptr<f16>, %c_ptr: !tt.ptr<f16>, %M: i32, %N: i32, %K: i32, %stride_am: i32, %stride_bk: i32, %stride_cm: i32) attributes {noinline = false} {
    %cst = arith.constant dense<64> : tensor<128x64xi32, #blocked>
    %cst_0 = arith.constant dense<0.000000e+00> : tensor<64x128xf16, #blocked>
    %cst_1 = arith.constant dense<0.000000e+00> : tensor<128x64xf16, #blocked>
    %c64_i32 = arith.constant 64 : i32
    %c0_i32 = arith.constant 0 : i32
    %cst_2 = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
    %c128_i32 = arith.constant 128 : i32
    %pid_m = tt.get_program_id x : i32
    %pid_n = tt.get_program_id y : i32
    %0 = arith.muli %pid_m, %c128_i32 : i32
    %rows = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %rows_3 = tt.splat %0 : i32 -> tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %rows_4 = arith.addi %rows_3, %rows : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %cols = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked}>>
    %1 = tt.expand_dims %rows_4 {axis = 1 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>> -> tensor<128x1xi32, #blocked>
    %2 = tt.splat %stride_am : i32 -> tensor<128x1xi32, #blocked>
    %3 = arith.muli %1, %2 : tensor<128x1xi32, #blocked>
    %4 = tt.splat %a_ptr : !tt.ptr<f16> -> tensor<128x1x!tt.ptr<f16>, #blocked>
    %5 = tt.addptr %4, %3 : tensor<128x1x!tt.ptr<f16>, #blocked>, tensor<128x1xi32, #blocked>
    %6 = tt.expand_dims %cols {axis = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked}>> -> tensor<1x64xi32, #blocked>
    %7 = tt.broadcast %5 : tensor<128x1x!tt.ptr<f16>, #blocked> -> tensor<128x64x!tt.ptr<f16>, #blocked>
    %8 = tt.broadcast %6 : tensor<1x64xi32, #blocked> -> tensor<128x64xi32, #blocked>
    %9 = tt.addptr %7, %8 : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %10 = arith.muli %pid_n, %c128_i32 : i32
    %rows_5 = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %cols_6 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked}>>
    %cols_7 = tt.splat %10 : i32 -> tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked}>>
    %cols_8 = arith.addi %cols_7, %cols_6 : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked}>>
    %11 = tt.expand_dims %rows_5 {axis = 1 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked}>> -> tensor<64x1xi32, #blocked>
    %12 = tt.splat %stride_bk : i32 -> tensor<64x1xi32, #blocked>
    %13 = arith.muli %11, %12 : tensor<64x1xi32, #blocked>
    %14 = tt.splat %b_ptr : !tt.ptr<f16> -> tensor<64x1x!tt.ptr<f16>, #blocked>
    %15 = tt.addptr %14, %13 : tensor<64x1x!tt.ptr<f16>, #blocked>, tensor<64x1xi32, #blocked>
    %16 = tt.expand_dims %cols_8 {axis = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked}>> -> tensor<1x128xi32, #blocked>
    %17 = tt.broadcast %15 : tensor<64x1x!tt.ptr<f16>, #blocked> -> tensor<64x128x!tt.ptr<f16>, #blocked>
    %18 = tt.broadcast %16 : tensor<1x128xi32, #blocked> -> tensor<64x128xi32, #blocked>
    %19 = tt.addptr %17, %18 : tensor<64x128x!tt.ptr<f16>, #blocked>, tensor<64x128xi32, #blocked>
    %lds_a = ttg.local_alloc : () -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
    %lds_b = ttg.local_alloc : () -> !ttg.memdesc<64x128xf16, #shared, #smem, mutable>
    %acc:3 = scf.for %k0 = %c0_i32 to %K step %c64_i32 iter_args(%a_ptrs = %9, %b_ptrs = %19, %acc_10 = %cst_2) -> (tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked>, tensor<128x128xf32, #mma>)  : i32 {
      %a = tt.splat %M : i32 -> tensor<128x1xi32, #blocked>
      %a_11 = arith.cmpi slt, %1, %a : tensor<128x1xi32, #blocked>
      %a_12 = arith.subi %K, %k0 : i32
      %a_13 = tt.splat %a_12 : i32 -> tensor<1x64xi32, #blocked>
      %a_14 = arith.cmpi slt, %6, %a_13 : tensor<1x64xi32, #blocked>
      %a_15 = tt.broadcast %a_11 : tensor<128x1xi1, #blocked> -> tensor<128x64xi1, #blocked>
      %a_16 = tt.broadcast %a_14 : tensor<1x64xi1, #blocked> -> tensor<128x64xi1, #blocked>
      %a_17 = arith.andi %a_15, %a_16 : tensor<128x64xi1, #blocked>
      %a_18 = tt.load %a_ptrs, %a_17, %cst_1 : tensor<128x64x!tt.ptr<f16>, #blocked>
      %b = tt.splat %a_12 : i32 -> tensor<64x1xi32, #blocked>
      %b_19 = arith.cmpi slt, %11, %b : tensor<64x1xi32, #blocked>
      %b_20 = tt.splat %N : i32 -> tensor<1x128xi32, #blocked>
      %b_21 = arith.cmpi slt, %16, %b_20 : tensor<1x128xi32, #blocked>
      %b_22 = tt.broadcast %b_19 : tensor<64x1xi1, #blocked> -> tensor<64x128xi1, #blocked>
      %b_23 = tt.broadcast %b_21 : tensor<1x128xi1, #blocked> -> tensor<64x128xi1, #blocked>
      %b_24 = arith.andi %b_22, %b_23 : tensor<64x128xi1, #blocked>
      %b_25 = tt.load %b_ptrs, %b_24, %cst_0 : tensor<64x128x!tt.ptr<f16>, #blocked>
      ttg.local_store %a_18, %lds_a : tensor<128x64xf16, #blocked> -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
      ttg.local_store %b_25, %lds_b : tensor<64x128xf16, #blocked> -> !ttg.memdesc<64x128xf16, #shared, #smem, mutable>
      %a_ptrs_26 = tt.addptr %a_ptrs, %cst : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
      %b_ptrs_27 = arith.muli %stride_bk, %c64_i32 : i32
      %b_ptrs_28 = tt.splat %b_ptrs_27 : i32 -> tensor<64x128xi32, #blocked>
      %b_ptrs_29 = tt.addptr %b_ptrs, %b_ptrs_28 : tensor<64x128x!tt.ptr<f16>, #blocked>, tensor<64x128xi32, #blocked>
      rocdl.sched.barrier none {triton.warp_pipeline.border = "memory", triton.warp_pipeline.priority = 1 : i32}
      %acc_30 = ttg.local_load %lds_a : !ttg.memdesc<128x64xf16, #shared, #smem, mutable> -> tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>>
      %acc_31 = ttg.local_load %lds_b : !ttg.memdesc<64x128xf16, #shared, #smem, mutable> -> tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>>
      %acc_32 = tt.dot %acc_30, %acc_31, %acc_10 : tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>> * tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>> -> tensor<128x128xf32, #mma>
      rocdl.sched.barrier none {triton.warp_pipeline.border = "compute", triton.warp_pipeline.priority = 0 : i32}
      scf.yield %a_ptrs_26, %b_ptrs_29, %acc_32 : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked>, tensor<128x128xf32, #mma>
    }
    %20 = tt.splat %stride_cm : i32 -> tensor<128x1xi32, #blocked>
    %21 = arith.muli %1, %20 : tensor<128x1xi32, #blocked>
    %22 = tt.splat %c_ptr : !tt.ptr<f16> -> tensor<128x1x!tt.ptr<f16>, #blocked>
    %23 = tt.addptr %22, %21 : tensor<128x1x!tt.ptr<f16>, #blocked>, tensor<128x1xi32, #blocked>
    %24 = tt.broadcast %23 : tensor<128x1x!tt.ptr<f16>, #blocked> -> tensor<128x128x!tt.ptr<f16>, #blocked>
    %25 = tt.broadcast %16 : tensor<1x128xi32, #blocked> -> tensor<128x128xi32, #blocked>
    %26 = tt.addptr %24, %25 : tensor<128x128x!tt.ptr<f16>, #blocked>, tensor<128x128xi32, #blocked>
    %c = arith.truncf %acc#2 : tensor<128x128xf32, #mma> to tensor<128x128xf16, #mma>
    %c_9 = ttg.convert_layout %c : tensor<128x128xf16, #mma> -> tensor<128x128xf16, #blocked>
    %27 = tt.splat %M : i32 -> tensor<128x1xi32, #blocked>
    %28 = arith.cmpi slt, %1, %27 : tensor<128x1xi32, #blocked>
    %29 = tt.splat %N : i32 -> tensor<1x128xi32, #blocked>
    %30 = arith.cmpi slt, %16, %29 : tensor<1x128xi32, #blocked>
    %31 = tt.broadcast %28 : tensor<128x1xi1, #blocked> -> tensor<128x128xi1, #blocked>
    %32 = tt.broadcast %30 : tensor<1x128xi1, #blocked> -> tensor<128x128xi1, #blocked>
    %33 = arith.andi %31, %32 : tensor<128x128xi1, #blocked>
    tt.store %26, %c_9, %33 : tensor<128x128x!tt.ptr<f16>, #blocked>
    tt.return
  }
}
