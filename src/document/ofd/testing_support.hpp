#pragma once
// Test-only: a minimal, valid OFD (GB/T 33190-2016) built in memory: OFD.xml, Doc_0/Document.xml
// (A4 page area), PublicRes.xml with one font, and N pages each with a line of text.
#include <string>

#include "document/ofd/package.hpp"

namespace eseal::document::ofd::testing {

inline Package make_test_ofd(int pages) {
    Package p;
    p.put("OFD.xml",
          core::to_bytes(
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.0\" DocType=\"OFD\">"
              "<ofd:DocBody><ofd:DocInfo><ofd:DocID>6f6664746573740000000000000000</ofd:DocID>"
              "<ofd:Title>test</ofd:Title></ofd:DocInfo>"
              "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"));
    std::string doc =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:CommonData>"
        "<ofd:MaxUnitID>" +
        std::to_string(10 + pages * 10) +
        "</ofd:MaxUnitID>"
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>";
    for (int i = 0; i < pages; ++i)
        doc += "<ofd:Page ID=\"" + std::to_string(10 + i * 10) + "\" BaseLoc=\"Pages/Page_" +
               std::to_string(i) + "/Content.xml\"/>";
    doc += "</ofd:Pages></ofd:Document>";
    p.put("Doc_0/Document.xml", core::to_bytes(doc));
    p.put("Doc_0/PublicRes.xml",
          core::to_bytes(
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<ofd:Res xmlns:ofd=\"http://www.ofdspec.org/2016\" BaseLoc=\"Res\"><ofd:Fonts>"
              "<ofd:Font ID=\"2\" FontName=\"SimSun\" "
              "FamilyName=\"SimSun\"/></ofd:Fonts></ofd:Res>"));
    for (int i = 0; i < pages; ++i)
        p.put(
            "Doc_0/Pages/Page_" + std::to_string(i) + "/Content.xml",
            core::to_bytes(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:Content><ofd:Layer "
                "ID=\"" +
                std::to_string(11 + i * 10) + "\"><ofd:TextObject ID=\"" +
                std::to_string(12 + i * 10) +
                "\" Boundary=\"20 20 170 10\" Font=\"2\" Size=\"5\"><ofd:TextCode X=\"0\" Y=\"5\">"
                "Page " +
                std::to_string(i + 1) +
                "</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"));
    return p;
}

}  // namespace eseal::document::ofd::testing
